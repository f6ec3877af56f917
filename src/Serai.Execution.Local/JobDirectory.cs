using System.Globalization;
using System.Text;

namespace Serai.Execution.Local;

/// <summary>
/// The per-job directory. It belongs to the server (0700) and holds the logs and the control files: the process group
/// the server started and its start time, the time-limit deadline, the attempt, and the exit code the wrapper records.
/// A job never gets a path into it: it runs in <see cref="WorkDirectory"/> (0700, owned by the job's account), entered
/// before the wrapper drops to that account, and writes its output through descriptors the wrapper opened. So a job can
/// neither forge a control file nor swap a log for a link to the server's files. stdout.log and stderr.log hold every
/// attempt (a later one after a marker line); the control files belong to the latest attempt.
/// </summary>
internal sealed class JobDirectory(string root, long jobId)
{
    private const UnixFileMode OwnerFile = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    public string Path { get; } = System.IO.Path.Combine(root, jobId.ToString(CultureInfo.InvariantCulture));
    public string Stdout => System.IO.Path.Combine(Path, "stdout.log");
    public string Stderr => System.IO.Path.Combine(Path, "stderr.log");
    public string PidFile => System.IO.Path.Combine(Path, "pid");
    public string StartFile => System.IO.Path.Combine(Path, "start");
    public string DeadlineFile => System.IO.Path.Combine(Path, "deadline");
    public string ExitCodeFile => System.IO.Path.Combine(Path, "exit_code");
    public string AttemptFile => System.IO.Path.Combine(Path, "attempt");
    public string WorkDirectory => System.IO.Path.Combine(Path, "work");

    public string Log(LogStream stream) => stream == LogStream.Stdout ? Stdout : Stderr;

    /// <summary>The exit code the wrapper wrote when the command ended, or null if it never finished.</summary>
    public int? ReadExitCode() => (int?)ReadNumber(ExitCodeFile);

    /// <summary>The process group the server started for the latest attempt.</summary>
    public int? ReadPid() => (int?)ReadNumber(PidFile);

    /// <summary>When the group's leader started, in clock ticks after boot (/proc/PID/stat field 22); null in older directories.</summary>
    public long? ReadStart() => ReadNumber(StartFile);

    /// <summary>When the latest attempt's time limit runs out (Unix milliseconds); null when it has none.</summary>
    public DateTimeOffset? ReadDeadline() => ReadNumber(DeadlineFile) is { } ms ? DateTimeOffset.FromUnixTimeMilliseconds(ms) : null;

    /// <summary>The attempt that the control files belong to; null in directories written before attempts were counted.</summary>
    public int? ReadAttempt() => (int?)ReadNumber(AttemptFile);

    /// <summary>
    /// Makes the directory ready for a new attempt: the server's part 0700 (the jobs folder too), the work directory 0700
    /// and given to the job's account; the last attempt's control files go, the logs stay.
    /// </summary>
    public void PrepareAttempt(int attempt, JobAccount? account)
    {
        OwnerOnlyDirectory(root);
        OwnerOnlyDirectory(Path);
        OwnerOnlyDirectory(WorkDirectory);
        if (account is not null)
        {
            Posix.Chown(WorkDirectory, account.Uid, account.Gid);
        }
        foreach (var file in (string[])[ExitCodeFile, PidFile, StartFile, DeadlineFile])
        {
            File.Delete(file);
        }
        Write(AttemptFile, attempt);
    }

    /// <summary>Records the process group the server started (its leader's start time) and the time-limit deadline.</summary>
    public void RecordProcess(int pgid, long? start, DateTimeOffset? deadline)
    {
        if (deadline is { } d)
        {
            Write(DeadlineFile, d.ToUnixTimeMilliseconds());
        }
        if (start is { } s)
        {
            Write(StartFile, s);
        }
        Write(PidFile, pgid);
    }

    /// <summary>
    /// Appends the marker line of a new attempt to both logs, unless this is a first attempt into empty logs (the output
    /// of a job that ran once is exactly what it printed). Creates the logs owner-only.
    /// </summary>
    public void AppendMarkers(JobLaunch launch, DateTimeOffset startedAt)
    {
        var marker = Marker(launch, startedAt) + "\n";
        foreach (var path in (string[])[Stdout, Stderr])
        {
            var open = new FileStreamOptions { Mode = FileMode.OpenOrCreate, Access = FileAccess.ReadWrite, Share = FileShare.ReadWrite | FileShare.Delete };
            if (!OperatingSystem.IsWindows())
            {
                open.UnixCreateMode = OwnerFile;
            }
            using var file = new FileStream(path, open);
            Posix.SetMode(file.SafeFileHandle, OwnerFile);
            if (launch.Attempt == 1 && file.Length == 0)
            {
                continue;
            }
            var text = marker;
            if (file.Length > 0)
            {
                file.Position = file.Length - 1;
                text = file.ReadByte() == '\n' ? marker : "\n" + marker; // the last attempt's output may not end its line
            }
            file.Position = file.Length;
            file.Write(Encoding.UTF8.GetBytes(text));
        }
    }

    /// <summary>The line that starts a later attempt's output (without its newline).</summary>
    public static string Marker(JobLaunch launch, DateTimeOffset startedAt) => string.Create(CultureInfo.InvariantCulture,
        $"==== serai: job {launch.JobId} attempt {launch.Attempt} started {startedAt.UtcDateTime:yyyy-MM-dd'T'HH:mm:ss'Z'} on {launch.Site}/{launch.Pool} ====");

    private static void OwnerOnlyDirectory(string path)
    {
        Directory.CreateDirectory(path);
        Posix.OwnerOnly(path, directory: true);
    }

    private static void Write(string path, long value)
    {
        var temporary = path + ".tmp";
        File.WriteAllText(temporary, value.ToString(CultureInfo.InvariantCulture) + "\n");
        Posix.SetMode(temporary, OwnerFile);
        File.Move(temporary, path, overwrite: true);
    }

    private static long? ReadNumber(string path)
    {
        try
        {
            var text = File.ReadAllText(path).Trim();
            return long.TryParse(text, CultureInfo.InvariantCulture, out var value) ? value : null;
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
    }
}
