using System.Globalization;
using System.Text;
using Serai.Execution.Local;

namespace Serai.Execution.Tests.Local;

/// <summary>
/// A tenant's job runs as its tenant's account, with a clean environment, and reaches neither another tenant's job,
/// the server's files nor the server's process (defect 1 of issue 9). Real jobs, real accounts (created idempotently).
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class JobIsolationTests : IDisposable
{
    private const string Site = "kz-astana";
    private const string SecretVariable = "Serai__BootstrapAdminToken";

    private readonly string _directory = Path.Combine(Path.GetTempPath(), "serai-isolation-" + Guid.NewGuid().ToString("N"));
    private readonly string _jobs;
    private readonly LocalBackend _backend;
    private readonly EventLog _events;

    public JobIsolationTests()
    {
        Directory.CreateDirectory(_directory);
        _jobs = Path.Combine(_directory, "jobs");
        _backend = new LocalBackend(new LocalBackendOptions(_jobs) { KillGraceTime = TimeSpan.FromSeconds(1) });
        _events = new EventLog(_backend);
    }

    public void Dispose()
    {
        _backend.Dispose();
        Directory.Delete(_directory, recursive: true);
    }

    private static JobLaunch Launch(long id, string tenant, string script, IReadOnlyDictionary<string, string>? environment = null) =>
        new(id, 1, tenant, Site, "h200", [new LaunchNode(0, null, [0])], "nvidia", ["sh", "-c", script], null, environment);

    private async Task<(JobEnded Ended, string Stdout, string Stderr)> RunAsync(JobLaunch launch)
    {
        await _backend.DispatchAsync(launch, default);
        var ended = await _events.WaitForAsync<JobEnded>(e => e.Job == launch.Job);
        return (ended, await ReadAsync(launch.JobId, LogStream.Stdout), await ReadAsync(launch.JobId, LogStream.Stderr));
    }

    private async Task<string> ReadAsync(long id, LogStream stream) =>
        Encoding.UTF8.GetString((await _backend.ReadLogAsync(Site, id, stream, 0, 1 << 20, default)).Bytes);

    [RootFact]
    public async Task A_job_runs_as_its_tenants_unprivileged_account_in_an_owner_only_work_directory()
    {
        Assert.True(_backend.SwitchesUser);
        Assert.Null(_backend.IsolationWarning);
        var (ended, stdout, _) = await RunAsync(Launch(1, "alpha", "id -un; id -u; pwd; echo $HOME; stat -c '%U %a' .; touch mine && echo wrote"));
        Assert.Equal(0, ended.ExitCode);
        var lines = stdout.Split('\n');
        Assert.Equal("serai-alpha", lines[0]);
        Assert.NotEqual("0", lines[1]);
        var work = Path.Combine(_jobs, "1", "work");
        Assert.Equal([work, work, "serai-alpha 700", "wrote"], lines[2..6]);
        // the server's part of the job directory, the jobs folder and the logs are the server's alone
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(_jobs));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(Path.Combine(_jobs, "1")));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(_jobs, "1", "stdout.log")));
    }

    [RootFact]
    public async Task A_job_sees_only_the_variables_it_asked_for_and_Serais_own()
    {
        Environment.SetEnvironmentVariable(SecretVariable, "serai_secret_admin");
        Environment.SetEnvironmentVariable("SERAI_TEST_SERVER_SECRET", "leaked");
        try
        {
            var (_, stdout, _) = await RunAsync(Launch(2, "alpha", "env | cut -d= -f1 | sort", new Dictionary<string, string> { ["MY_SETTING"] = "1" }));
            var names = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries)
                .Where(n => n is not ("PWD" or "SHLVL" or "_" or "OLDPWD")) // set by sh itself
                .ToList();
            Assert.Equal(["CUDA_VISIBLE_DEVICES", "HOME", "LOGNAME", "MY_SETTING", "PATH", "SERAI_ATTEMPT", "SERAI_JOB_ID", "SERAI_NODES",
                "SERAI_POOL", "SERAI_SITE", "SERAI_TENANT", "USER"], names);
        }
        finally
        {
            Environment.SetEnvironmentVariable(SecretVariable, null);
            Environment.SetEnvironmentVariable("SERAI_TEST_SERVER_SECRET", null);
        }
    }

    [RootFact]
    public async Task A_job_cannot_read_another_tenants_job_directory_or_logs()
    {
        var beta = Launch(3, "beta", "echo beta-secret; echo beta-file > data; sleep 60");
        await _backend.DispatchAsync(beta, default);
        await WaitUntilAsync(async () => (await ReadAsync(3, LogStream.Stdout)).Contains("beta-secret", StringComparison.Ordinal));
        var betaDir = Path.Combine(_jobs, "3");
        var script = string.Join("; ",
            "cat ../../3/stdout.log && echo READ-RELATIVE",
            $"cat {betaDir}/stdout.log && echo READ-LOG",
            $"cat {betaDir}/work/data && echo READ-DATA",
            $"ls {betaDir} && echo LISTED",
            "exit 0");
        var (_, stdout, stderr) = await RunAsync(Launch(4, "alpha", script));
        Assert.DoesNotContain("READ", stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("LISTED", stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("beta-secret", stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("beta-file", stdout, StringComparison.Ordinal);
        Assert.Contains("Permission denied", stderr, StringComparison.Ordinal);
        await _backend.StopAsync(beta.Job, StopKind.Cancel, default);
        await _events.WaitForAsync<JobStopped>(e => e.Job == beta.Job);
    }

    [RootFact]
    public async Task A_job_cannot_read_the_servers_files_or_signal_the_server()
    {
        // the server's database and the CLI's config as the server writes them: owner-only files of root
        var database = Path.Combine(_directory, "serai.db");
        File.WriteAllText(database, "api_tokens");
        File.SetUnixFileMode(database, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        File.SetUnixFileMode(_directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var config = Path.Combine(_directory, "config.json");
        File.WriteAllText(config, "{\"token\":\"serai_admin\"}");
        File.SetUnixFileMode(config, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        var server = Environment.ProcessId.ToString(CultureInfo.InvariantCulture);
        var script = string.Join("; ",
            $"cat {database} && echo READ-DB",
            $"cat {config} && echo READ-CONFIG",
            "cat /root/.config/serai/config.json && echo READ-HOME-CONFIG",
            $"cat /proc/{server}/environ && echo READ-ENVIRON",
            $"kill -0 {server} && echo SIGNALLED",
            $"kill -TERM {server} && echo SIGNALLED",
            "exit 0");
        var (_, stdout, stderr) = await RunAsync(Launch(5, "alpha", script));
        Assert.DoesNotContain("READ", stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("SIGNALLED", stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("api_tokens", stdout, StringComparison.Ordinal);
        Assert.Contains("Operation not permitted", stderr, StringComparison.Ordinal); // kill -0 of another user's process
    }

    [RootFact]
    public async Task A_job_cannot_write_the_servers_control_files_beside_its_work_directory()
    {
        var (ended, stdout, _) = await RunAsync(Launch(6, "alpha", "echo 1 > ../pid && echo WROTE-PID; echo 0 > ../exit_code && echo WROTE-CODE; exit 3"));
        Assert.DoesNotContain("WROTE", stdout, StringComparison.Ordinal);
        Assert.Equal((JobEndKind.Exited, 3), (ended.Kind, ended.ExitCode));
    }

    [Fact]
    public void Default_accounts_are_valid_user_names_and_distinct_for_tenants_that_clean_up_alike()
    {
        Assert.Equal("serai-kz-emergencies", JobAccounts.DefaultName("kz-emergencies"));
        var odd = JobAccounts.DefaultName("Ministry of Health/KZ");
        Assert.Matches("^[a-z_][a-z0-9_-]{0,31}$", odd);
        Assert.NotEqual(odd, JobAccounts.DefaultName("ministry-of-health-kz"));
        Assert.NotEqual(JobAccounts.DefaultName("A"), JobAccounts.DefaultName("a"));
    }

    [Fact]
    public async Task Without_switching_users_the_backend_says_so_and_still_cleans_the_environment()
    {
        using var plain = new LocalBackend(new LocalBackendOptions(Path.Combine(_directory, "plain")) { SwitchUser = false });
        var events = new EventLog(plain);
        Assert.False(plain.SwitchesUser);
        Assert.Contains("jobs run as", plain.IsolationWarning ?? "", StringComparison.Ordinal);
        Environment.SetEnvironmentVariable(SecretVariable, "serai_secret_admin");
        try
        {
            var launch = Launch(7, "alpha", "env");
            await plain.DispatchAsync(launch, default);
            await events.WaitForAsync<JobEnded>(e => e.Job == launch.Job);
            var stdout = Encoding.UTF8.GetString((await plain.ReadLogAsync(Site, 7, LogStream.Stdout, 0, 1 << 20, default)).Bytes);
            Assert.Contains("SERAI_JOB_ID=7", stdout, StringComparison.Ordinal);
            Assert.DoesNotContain(SecretVariable, stdout, StringComparison.Ordinal);
            Assert.DoesNotContain("serai_secret_admin", stdout, StringComparison.Ordinal);
        }
        finally
        {
            Environment.SetEnvironmentVariable(SecretVariable, null);
        }
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(Path.Combine(_directory, "plain", "7")));
    }

    [Fact]
    public async Task A_tenant_mapped_to_a_missing_account_is_refused_at_dispatch_and_never_runs_as_root()
    {
        if (!Environment.IsPrivilegedProcess)
        {
            Assert.Throws<InvalidOperationException>(() => new LocalBackend(new LocalBackendOptions(_jobs) { SwitchUser = true }));
            return;
        }
        using var mapped = new LocalBackend(new LocalBackendOptions(Path.Combine(_directory, "mapped"))
        {
            AccountByTenant = new Dictionary<string, string> { ["alpha"] = "serai-no-such-account", ["beta"] = "root" },
        });
        var missing = await Assert.ThrowsAsync<DispatchException>(() => mapped.DispatchAsync(Launch(8, "alpha", "true"), default));
        Assert.Contains("'serai-no-such-account'", missing.Message, StringComparison.Ordinal);
        var root = await Assert.ThrowsAsync<DispatchException>(() => mapped.DispatchAsync(Launch(9, "beta", "true"), default));
        Assert.Contains("never run as root", root.Message, StringComparison.Ordinal);
    }

    private static async Task WaitUntilAsync(Func<Task<bool>> condition, double seconds = 15)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "the condition did not come true in time");
            await Task.Delay(20);
        }
    }
}
