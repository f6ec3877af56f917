namespace Serai.Server.Tests;

/// <summary>After a restart the server reconciles with the backend: running jobs stay tracked, vanished ones are failed.</summary>
public sealed class RestartTests : IDisposable
{
    private readonly string _directory = TestDatabases.NewDirectory();

    public void Dispose() => TestDatabases.Remove(_directory);

    private SeraiFactory NewServer() => new(TestDatabases.NewSqlite(_directory), _directory, scheduler: new FirstFitCycle());

    private static object Shell(string script) => new { command = (string[])["sh", "-c", script], gpus = 1 };

    private async Task<(long Id, int Pgid)> StartJobThenStopServerAsync(string script)
    {
        await using var first = await NewServer().StartAsync();
        var alpha = first.Client(SeraiFactory.AlphaToken);
        var id = await alpha.SubmitIdAsync(Shell(script));
        Assert.Equal("running", (await alpha.WaitForAsync(id, j => j.State() == "running")).State());
        var pidFile = Path.Combine(_directory, "jobs", id.ToString(), "pid");
        await LocalExecutionTests.WaitUntilAsync(() => File.Exists(pidFile) && File.ReadAllText(pidFile).Trim().Length > 0, what: "the job's pid file");
        return (id, int.Parse(File.ReadAllText(pidFile)));
    }

    [Fact]
    public async Task A_running_job_stays_tracked_across_a_restart_and_can_be_cancelled()
    {
        var (id, pgid) = await StartJobThenStopServerAsync("sleep 300");
        Assert.True(LocalExecutionTests.GroupAlive(pgid));
        await using var second = await NewServer().StartAsync();
        var alpha = second.Client(SeraiFactory.AlphaToken);
        Assert.Equal("running", (await alpha.GetJobAsync(id)).State());
        // the job still holds its GPUs: the tenant's use shows it
        var tenant = await (await alpha.GetAsync("/api/v1/tenants/alpha")).JsonAsync();
        Assert.Equal(1, tenant.GetProperty("allocatedGpus").GetInt32());
        Assert.Equal("cancelled", (await (await alpha.PostAsync($"/api/v1/jobs/{id}/cancel", null)).JsonAsync()).State());
        await LocalExecutionTests.WaitUntilAsync(() => !LocalExecutionTests.GroupAlive(pgid));
        Assert.False(LocalExecutionTests.GroupAlive(pgid));
    }

    [Fact]
    public async Task A_job_whose_process_vanished_is_failed_with_the_reason()
    {
        var (id, pgid) = await StartJobThenStopServerAsync("sleep 300");
        // "kill -s KILL -- -PGID": procps kill reads "-KILL -PGID" differently
        System.Diagnostics.Process.Start("kill", ["-s", "KILL", "--", $"-{pgid}"])!.WaitForExit();
        await LocalExecutionTests.WaitUntilAsync(() => !LocalExecutionTests.GroupAlive(pgid));
        await using var second = await NewServer().StartAsync();
        var job = await second.Client(SeraiFactory.AlphaToken).GetJobAsync(id);
        Assert.Equal("failed", job.State());
        Assert.Contains("gone", job.GetProperty("reason").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_job_that_ended_while_the_server_was_down_gets_its_exit_code()
    {
        // The job ends only when told to, after the first server is gone: its end can reach the second server only
        // through reattachment, never through the first server's own wait.
        var (id, pgid) = await StartJobThenStopServerAsync("while [ ! -e go ]; do sleep 0.1; done; exit 4");
        Assert.True(LocalExecutionTests.GroupAlive(pgid), "the job ended before the first server stopped");
        File.WriteAllText(Path.Combine(_directory, "jobs", id.ToString(), "work", "go"), "");
        await LocalExecutionTests.WaitUntilAsync(() => !LocalExecutionTests.GroupAlive(pgid), what: "the job's exit after the go file");
        await using var second = await NewServer().StartAsync();
        var job = await second.Client(SeraiFactory.AlphaToken).GetJobAsync(id);
        Assert.Equal("failed", job.State());
        Assert.Equal(4, job.GetProperty("exitCode").GetInt64());
    }
}
