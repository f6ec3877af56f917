using System.Text;
using Serai.Execution.Local;

namespace Serai.Execution.Tests.Local;

/// <summary>
/// Files named by a job's output patterns are opened, written and read back as the tenant's account, never by the
/// server: a link the tenant plants there reaches nothing the tenant could not write or read itself.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class OutputFileTests : IDisposable
{
    private const string Site = "kz-astana";
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "serai-output-" + Guid.NewGuid().ToString("N"));
    private readonly string _work;
    private readonly LocalBackend _backend;
    private readonly EventLog _events;

    public OutputFileTests()
    {
        Directory.CreateDirectory(_directory);
        _work = Path.Combine(_directory, "work");
        Directory.CreateDirectory(_work);
        File.SetUnixFileMode(_work, (UnixFileMode)0x1FF); // 0777: the tenant's account writes here, as in a user's own directory
        _backend = new LocalBackend(new LocalBackendOptions(Path.Combine(_directory, "jobs")) { KillGraceTime = TimeSpan.FromSeconds(1) });
        _events = new EventLog(_backend);
    }

    public void Dispose()
    {
        _backend.Dispose();
        Directory.Delete(_directory, recursive: true);
    }

    private JobLaunch Launch(long id, string script, string? output, string? error, int attempt = 1) =>
        new(id, attempt, "alpha", Site, "h200", [new LaunchNode(0, null, [0])], "nvidia", ["sh", "-c", script], null, null, _work, output, error);

    private async Task<JobEnded> RunAsync(JobLaunch launch)
    {
        await _backend.DispatchAsync(launch, default);
        return await _events.WaitForAsync<JobEnded>(e => e.Job == launch.Job);
    }

    private async Task<string> ReadAsync(long id, LogStream stream, string? path) =>
        Encoding.UTF8.GetString((await _backend.ReadLogAsync(new JobLogFile(Site, id, "alpha", stream, path), 0, 1 << 20, default)).Bytes);

    [RootFact]
    public async Task Both_streams_go_to_the_named_file_which_the_tenants_account_owns_and_logs_read_it()
    {
        var ended = await RunAsync(Launch(1, "echo out; echo err >&2", "out-1.txt", "out-1.txt"));
        Assert.Equal(0, ended.ExitCode);
        var file = Path.Combine(_work, "out-1.txt");
        Assert.Equal("out\nerr\n", File.ReadAllText(file));
        Assert.Equal("serai-alpha", Owner(file));
        Assert.Equal("out\nerr\n", await ReadAsync(1, LogStream.Stdout, file));
        Assert.Equal("", await ReadAsync(1, LogStream.Stdout, null)); // the server's own log got nothing of the job's
    }

    [RootFact]
    public async Task A_later_attempt_appends_to_the_named_files_after_a_marker_line()
    {
        await RunAsync(Launch(2, "echo one; echo e1 >&2", "o.txt", "e.txt"));
        await RunAsync(Launch(2, "echo two; echo e2 >&2", "o.txt", "e.txt", attempt: 2));
        var o = File.ReadAllLines(Path.Combine(_work, "o.txt"));
        Assert.Equal("one", o[0]);
        Assert.StartsWith("==== serai: job 2 attempt 2 started ", o[1], StringComparison.Ordinal);
        Assert.Equal("two", o[2]);
        Assert.Equal(["e1", o[1], "e2"], File.ReadAllLines(Path.Combine(_work, "e.txt")));
    }

    [RootFact]
    public async Task A_link_to_a_root_only_file_is_never_written_and_never_read_by_the_server()
    {
        var secret = Path.Combine(_directory, "root-only");
        File.WriteAllText(secret, "root's secret\n");
        File.SetUnixFileMode(secret, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        File.CreateSymbolicLink(Path.Combine(_work, "planted.txt"), secret);

        var ended = await RunAsync(Launch(3, "echo pwned", "planted.txt", null));

        Assert.NotEqual(0, ended.ExitCode); // the tenant's account may not open it, so the job never starts its command
        Assert.Equal("root's secret\n", File.ReadAllText(secret));
        var said = await ReadAsync(3, LogStream.Stderr, null);
        Assert.Contains("Permission denied", said, StringComparison.Ordinal); // why, in the server's own log
        Assert.DoesNotContain("secret", await ReadAsync(3, LogStream.Stdout, Path.Combine(_work, "planted.txt")), StringComparison.Ordinal);

        // a file the job did write, swapped for a link afterwards: the logs do not follow it either
        await RunAsync(Launch(4, "echo mine", "swapped.txt", null));
        var swapped = Path.Combine(_work, "swapped.txt");
        Assert.Equal("mine\n", await ReadAsync(4, LogStream.Stdout, swapped));
        File.Delete(swapped);
        File.CreateSymbolicLink(swapped, secret);
        Assert.DoesNotContain("secret", await ReadAsync(4, LogStream.Stdout, swapped), StringComparison.Ordinal);
    }

    [RootFact]
    public async Task Reading_the_file_of_a_job_that_never_ran_here_reads_nothing_and_creates_no_account()
    {
        var chunk = await _backend.ReadLogAsync(new JobLogFile(Site, 404, "never-ran-here", LogStream.Stdout, "/etc/passwd"), 0, 1 << 20, default);
        Assert.Empty(chunk.Bytes);
        var getent = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo("getent", ["passwd", "serai-never-ran-here"]) { RedirectStandardOutput = true })!;
        await getent.WaitForExitAsync();
        Assert.NotEqual(0, getent.ExitCode);
    }

    private static string Owner(string path)
    {
        var stat = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo("stat", ["-c", "%U", path]) { RedirectStandardOutput = true })!;
        var owner = stat.StandardOutput.ReadToEnd().Trim();
        stat.WaitForExit();
        return owner;
    }
}
