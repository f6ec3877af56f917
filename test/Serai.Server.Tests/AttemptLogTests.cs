namespace Serai.Server.Tests;

/// <summary>A preempted job runs again as its next attempt; its log keeps the first attempt's output and marks the second.</summary>
public sealed class AttemptLogTests : IAsyncLifetime
{
    private readonly string _directory = TestDatabases.NewDirectory();
    private SeraiFactory _factory = null!;

    public async Task InitializeAsync() => _factory = await new SeraiFactory(TestDatabases.NewSqlite(_directory), _directory).StartAsync();

    public async Task DisposeAsync()
    {
        await _factory.DisposeAsync();
        TestDatabases.Remove(_directory);
    }

    [Fact]
    public async Task A_preempted_job_appends_its_second_attempt_to_the_log_of_the_first()
    {
        var alpha = _factory.Client(SeraiFactory.AlphaToken);
        var beta = _factory.Client(SeraiFactory.BetaToken);
        object Job(string priority, string name) => new { command = (string[])["sh", "-c", "echo run $SERAI_ATTEMPT; sleep 300"], gpus = 4, gpusPerNode = 4, priority, name, time = "10" };
        var low = new[] { await beta.SubmitIdAsync(Job("low", "low-1")), await beta.SubmitIdAsync(Job("low", "low-2")) };
        foreach (var id in low)
        {
            await beta.WaitForAsync(id, j => j.State() == "running");
            await LocalExecutionTests.WaitUntilAsync(async () => (await beta.GetStringAsync($"/api/v1/jobs/{id}/logs")).Length > 0);
        }
        var urgent = await alpha.SubmitIdAsync(Job("emergency", "flood-warning"));
        await alpha.WaitForAsync(urgent, j => j.State() == "running", seconds: 30);
        var jobs = new[] { await beta.GetJobAsync(low[0]), await beta.GetJobAsync(low[1]) };
        var victim = Assert.Single(jobs, j => j.GetProperty("preemptions").GetInt64() == 1).GetProperty("id").GetInt64();
        // pending again, with no site: its first attempt's output is still readable
        Assert.Equal("run 1\n", await beta.GetStringAsync($"/api/v1/jobs/{victim}/logs"));

        await alpha.PostAsync($"/api/v1/jobs/{urgent}/cancel", null);
        await beta.WaitForAsync(victim, j => j.State() == "running", seconds: 30);
        await LocalExecutionTests.WaitUntilAsync(async () => (await beta.GetStringAsync($"/api/v1/jobs/{victim}/logs")).EndsWith("run 2\n", StringComparison.Ordinal));
        var lines = (await beta.GetStringAsync($"/api/v1/jobs/{victim}/logs")).Split('\n');
        Assert.Equal("run 1", lines[0]);
        Assert.Matches($@"^==== serai: job {victim} attempt 2 started \d{{4}}-\d\d-\d\dT\d\d:\d\d:\d\dZ on lab/gpus ====$", lines[1]);
        Assert.Equal(["run 2", ""], lines[2..]);
        foreach (var id in low)
        {
            await beta.PostAsync($"/api/v1/jobs/{id}/cancel", null);
        }
    }
}
