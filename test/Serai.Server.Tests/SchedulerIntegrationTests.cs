namespace Serai.Server.Tests;

/// <summary>The live loop with the real scheduler ("serai" profile) and the local backend, end to end.</summary>
public sealed class SchedulerIntegrationTests : IAsyncLifetime
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
    public async Task Jobs_are_placed_by_the_real_scheduler_run_and_are_accounted()
    {
        var alpha = _factory.Client(SeraiFactory.AlphaToken);
        var ids = new List<long>();
        for (var i = 0; i < 3; i++)
        {
            ids.Add(await alpha.SubmitIdAsync(new { command = (string[])["sh", "-c", "echo ok-$CUDA_VISIBLE_DEVICES"], gpus = 2, time = "1" }));
        }
        foreach (var id in ids)
        {
            var job = await alpha.WaitForAsync(id, j => j.State() is "succeeded" or "failed", seconds: 30);
            Assert.Equal("succeeded", job.State());
            Assert.StartsWith("ok-", await alpha.GetStringAsync($"/api/v1/jobs/{id}/logs"), StringComparison.Ordinal);
        }
        var audit = await (await alpha.GetAsync("/api/v1/audit?kind=place")).JsonAsync();
        Assert.Equal(3, audit.GetProperty("items").GetArrayLength());
        var accounting = await (await alpha.GetAsync("/api/v1/accounting")).JsonAsync();
        Assert.Equal(3, Assert.Single(accounting.GetProperty("tenants").EnumerateArray()).GetProperty("jobs").GetInt64());
    }

    [Fact]
    public async Task A_job_of_an_unapproved_high_risk_system_does_not_run_and_says_why()
    {
        var beta = _factory.Client(SeraiFactory.BetaToken);
        var id = await beta.SubmitIdAsync(new { command = (string[])["true"], gpus = 1, aiSystem = "beta-scoring" });
        var job = await beta.WaitForAsync(id, j => j.GetProperty("reason").ValueKind == System.Text.Json.JsonValueKind.String, seconds: 15);
        Assert.NotEqual("running", job.State());
        Assert.NotEqual("succeeded", job.State());
        Assert.Contains("not approved", job.GetProperty("reason").GetString(), StringComparison.Ordinal);
    }
}
