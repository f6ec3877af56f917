namespace Serai.Server.Tests;

/// <summary>With the real scheduler: an emergency job preempts a preemptible one, which goes back to pending.</summary>
public sealed class PreemptionTests : IAsyncLifetime
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
    public async Task An_emergency_job_preempts_a_low_priority_job_which_is_requeued()
    {
        var alpha = _factory.Client(SeraiFactory.AlphaToken);
        var beta = _factory.Client(SeraiFactory.BetaToken);
        object Job(string priority, string name) => new { command = (string[])["sleep", "300"], gpus = 4, gpusPerNode = 4, priority, name, time = "10" };
        var low1 = await beta.SubmitIdAsync(Job("low", "low-1"));
        var low2 = await beta.SubmitIdAsync(Job("low", "low-2"));
        await beta.WaitForAsync(low1, j => j.State() == "running");
        await beta.WaitForAsync(low2, j => j.State() == "running");
        var urgent = await alpha.SubmitIdAsync(Job("emergency", "flood-warning"));
        var job = await alpha.WaitForAsync(urgent, j => j.State() == "running", seconds: 30);
        Assert.True(job.State() == "running", job.ToString());
        var victims = new[] { await beta.GetJobAsync(low1), await beta.GetJobAsync(low2) }.Where(j => j.GetProperty("preemptions").GetInt64() == 1).ToList();
        var victim = Assert.Single(victims);
        Assert.Equal("pending", victim.State());
        var audit = await (await _factory.Client(SeraiFactory.AdminToken).GetAsync($"/api/v1/audit?kind=preempt")).JsonAsync();
        var entry = Assert.Single(audit.GetProperty("items").EnumerateArray());
        Assert.Equal(victim.GetProperty("id").GetInt64(), entry.GetProperty("jobId").GetInt64());
        Assert.Contains($"{urgent}", entry.GetProperty("message").GetString(), StringComparison.Ordinal);
        var tenants = await (await _factory.Client(SeraiFactory.AdminToken).GetAsync("/api/v1/tenants")).JsonAsync();
        Assert.Equal([4, 4], tenants.EnumerateArray().Select(t => t.GetProperty("allocatedGpus").GetInt32()));
        foreach (var id in new[] { low1, low2 })
        {
            await beta.PostAsync($"/api/v1/jobs/{id}/cancel", null);
        }
        await alpha.PostAsync($"/api/v1/jobs/{urgent}/cancel", null);
    }

    [Fact]
    public async Task An_emergency_job_of_a_tenant_at_its_borrowing_limit_preempts_its_own_preemptible_job()
    {
        var alpha = _factory.Client(SeraiFactory.AlphaToken);
        object Job(string priority, string name) => new { command = (string[])["sleep", "300"], gpus = 4, gpusPerNode = 4, priority, name, time = "10" };
        var low1 = await alpha.SubmitIdAsync(Job("preemptible", "own-1"));
        var low2 = await alpha.SubmitIdAsync(Job("preemptible", "own-2"));
        await alpha.WaitForAsync(low1, j => j.State() == "running");
        await alpha.WaitForAsync(low2, j => j.State() == "running");
        var urgent = await alpha.SubmitIdAsync(Job("emergency", "own-flood-warning"));
        var job = await alpha.WaitForAsync(urgent, j => j.State() == "running", seconds: 30);
        Assert.True(job.State() == "running", job.ToString());
        foreach (var id in new[] { low1, low2, urgent })
        {
            await alpha.PostAsync($"/api/v1/jobs/{id}/cancel", null);
        }
    }
}
