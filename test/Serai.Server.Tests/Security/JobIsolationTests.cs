using System.Globalization;

namespace Serai.Server.Tests.Security;

/// <summary>
/// Issue 9, defect 1, through the real server: a tenant's job runs as its own account with a clean environment and
/// reaches neither another tenant's job, nor the server's database, settings or tokens, nor the server's process.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class JobIsolationTests : IAsyncLifetime
{
    private const string SecretVariable = "Serai__TestIsolationSecret";
    private const string Secret = "serai_isolation_secret_value";

    private readonly string _directory = TestDatabases.NewDirectory();
    private SeraiFactory _factory = null!;

    public async Task InitializeAsync()
    {
        Environment.SetEnvironmentVariable(SecretVariable, Secret); // the server's environment: the test process's
        _factory = await new SeraiFactory(TestDatabases.NewSqlite(_directory), _directory, scheduler: new FirstFitCycle()).StartAsync();
    }

    public async Task DisposeAsync()
    {
        Environment.SetEnvironmentVariable(SecretVariable, null);
        await _factory.DisposeAsync();
        TestDatabases.Remove(_directory);
    }

    private static object Shell(string script) => new { command = (string[])["sh", "-c", script], gpus = 1 };

    private static async Task<string> OutputAsync(HttpClient client, long id, string stream = "stdout")
    {
        await client.WaitForAsync(id, j => j.State() is "succeeded" or "failed");
        return await client.GetStringAsync($"/api/v1/jobs/{id}/logs?stream={stream}");
    }

    [Fact]
    public void The_servers_state_folder_and_database_are_owner_only()
    {
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(_directory));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(_directory, "serai.db")));
    }

    [Fact]
    public async Task A_job_does_not_see_the_servers_environment()
    {
        var alpha = _factory.Client(SeraiFactory.AlphaToken);
        var id = await alpha.SubmitIdAsync(Shell("env"));
        var output = await OutputAsync(alpha, id);
        Assert.Contains($"SERAI_JOB_ID={id}", output, StringComparison.Ordinal);
        Assert.DoesNotContain("Serai__", output, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(Secret, output, StringComparison.Ordinal);
    }

    [RootFact]
    public async Task A_tenants_job_cannot_reach_another_tenants_job_the_database_or_the_server()
    {
        var alpha = _factory.Client(SeraiFactory.AlphaToken);
        var beta = _factory.Client(SeraiFactory.BetaToken);
        var betaJob = await beta.SubmitIdAsync(Shell("echo beta-private-output; echo beta-private-file > data; sleep 300"));
        await LocalExecutionTests.WaitUntilAsync(async () => (await beta.GetStringAsync($"/api/v1/jobs/{betaJob}/logs")).Length > 0, what: "beta's output");
        var betaDir = Path.Combine(_directory, "jobs", betaJob.ToString(CultureInfo.InvariantCulture));
        var server = Environment.ProcessId.ToString(CultureInfo.InvariantCulture);
        var script = string.Join("; ",
            "id -un",
            $"cat ../../{betaJob}/stdout.log && echo LEAK-relative-log",
            $"cat {betaDir}/stdout.log && echo LEAK-log",
            $"cat {betaDir}/work/data && echo LEAK-data",
            $"cat {Path.Combine(_directory, "serai.db")} > /dev/null && echo LEAK-database",
            $"ls {_directory} && echo LEAK-state-folder",
            $"cat /proc/{server}/environ && echo LEAK-environ",
            $"kill -0 {server} && echo LEAK-signal",
            "exit 0");
        var id = await alpha.SubmitIdAsync(Shell(script));
        var output = await OutputAsync(alpha, id);
        var errors = await alpha.GetStringAsync($"/api/v1/jobs/{id}/logs?stream=stderr");
        Assert.StartsWith("serai-alpha\n", output, StringComparison.Ordinal);
        Assert.DoesNotContain("LEAK", output, StringComparison.Ordinal);
        Assert.DoesNotContain("beta-private", output, StringComparison.Ordinal);
        Assert.DoesNotContain(Secret, output, StringComparison.Ordinal);
        Assert.Contains("Permission denied", errors, StringComparison.Ordinal);
        Assert.Contains("Operation not permitted", errors, StringComparison.Ordinal);
        await beta.PostAsync($"/api/v1/jobs/{betaJob}/cancel", null);
    }
}
