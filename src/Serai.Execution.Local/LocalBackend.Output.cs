using System.Diagnostics;

namespace Serai.Execution.Local;

/// <summary>
/// Output files named by a job's patterns (<c>--output</c>, <c>--error</c>). The server never opens them: a small shell,
/// started after the drop to the job's account, opens them for appending and then becomes the job's command, so a
/// pattern (or a link the tenant planted where it points) reaches only what that account may write. Reading them for
/// <c>serai logs</c> is done as that account too (dd, through setpriv), never through a link at the file's end.
/// </summary>
public sealed partial class LocalBackend
{
    // $1 stdout file, $2 stderr file (equal: one file for both, as sbatch), $3 a later attempt's marker line; "" = not given.
    // A file that cannot be opened ends the shell (status 2) with sh's message in the server's own stderr.log.
    private const string OutputOpener =
        "o=\"$1\"; e=\"$2\"; m=\"$3\"; shift 3\n" +
        "if [ -n \"$o\" ]; then exec >>\"$o\"; fi\n" +
        "if [ -n \"$e\" ] && [ \"$e\" = \"$o\" ]; then exec 2>&1; elif [ -n \"$e\" ]; then exec 2>>\"$e\"; fi\n" +
        "if [ -n \"$m\" ]; then [ -z \"$o\" ] || printf '%s\\n' \"$m\"; [ -z \"$e\" ] || [ \"$e\" = \"$o\" ] || printf '%s\\n' \"$m\" >&2; fi\n" +
        "exec \"$@\"\n";

    private static readonly TimeSpan ReadLimit = TimeSpan.FromSeconds(10);

    private static string[] DropTo(JobAccount account) =>
        [Executables.SetPriv, $"--reuid={account.Uid}", $"--regid={account.Gid}", "--clear-groups", "--no-new-privs", "--"];

    /// <summary>The opener's words before the job's command, or none when the job names no output file.</summary>
    private static IEnumerable<string> OutputFileArguments(JobLaunch launch, JobDirectory dir, DateTimeOffset startedAt)
    {
        if (launch.OutputPath is null && launch.ErrorPath is null)
        {
            return [];
        }
        var where = launch.WorkingDirectory ?? dir.WorkDirectory;
        return ["/bin/sh", "-c", OutputOpener, "serai-output",
            launch.OutputPath is { } o ? OutputPattern.Resolve(o, where) : "",
            launch.ErrorPath is { } e ? OutputPattern.Resolve(e, where) : "",
            launch.Attempt > 1 ? JobDirectory.Marker(launch, startedAt) : ""];
    }

    public async Task<LogChunk> ReadLogAsync(JobLogFile file, long offsetBytes, int maxBytes, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(file);
        ArgumentOutOfRangeException.ThrowIfNegative(offsetBytes);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxBytes);
        var dir = new JobDirectory(_options.JobsDirectory, file.JobId);
        // only a job that ran here (its account exists then: a read never creates one) has a file of its own to read
        if (file.Path is { } named && dir.ReadAttempt() is not null && Account(file.Tenant, out var account))
        {
            var path = OutputPattern.Resolve(named, dir.WorkDirectory);
            if (await ReadAsAccountAsync(path, account, offsetBytes, maxBytes, cancellationToken).ConfigureAwait(false) is { } bytes)
            {
                return LogChunk.FromDd(bytes, offsetBytes, maxBytes, _jobs.ContainsKey(file.JobId));
            }
            // not readable as the job's account (not there yet, never opened, a link): the server's own log says why, if anything
        }
        return await ReadLogAsync(file.Site, file.JobId, file.Stream, offsetBytes, maxBytes, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The account jobs of the tenant run as (null when jobs run as this server's user); false when there is none.</summary>
    private bool Account(string tenant, out JobAccount? account)
    {
        account = null;
        try
        {
            account = SwitchesUser ? _accounts.Resolve(tenant) : null;
            return true;
        }
        catch (DispatchException)
        {
            return false;
        }
    }

    /// <summary>The bytes <c>dd</c> read, run as <paramref name="account"/> (null: as this server, whose user the jobs then run as); null when it failed.</summary>
    private static async Task<byte[]?> ReadAsAccountAsync(string path, JobAccount? account, long offsetBytes, int maxBytes, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(account is null ? "dd" : Executables.SetPriv)
        {
            UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = "/",
        };
        foreach (var arg in (account is null ? [] : DropTo(account)[1..].Append("dd")).Concat(LogChunk.DdArguments(path, offsetBytes, maxBytes)))
        {
            start.ArgumentList.Add(arg);
        }
        start.Environment.Clear();
        start.Environment["PATH"] = DefaultPath;
        using var process = Process.Start(start);
        if (process is null)
        {
            return null;
        }
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(ReadLimit);
        try
        {
            using var buffer = new MemoryStream();
            var errors = process.StandardError.ReadToEndAsync(timeout.Token);
            await process.StandardOutput.BaseStream.CopyToAsync(buffer, timeout.Token).ConfigureAwait(false);
            await errors.ConfigureAwait(false);
            await process.WaitForExitAsync(timeout.Token).ConfigureAwait(false);
            return process.ExitCode == 0 ? buffer.ToArray() : null;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            process.Kill();
            return null;
        }
    }
}
