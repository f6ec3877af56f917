using System.Globalization;
using System.Text;

namespace Serai.Execution.Local;

/// <summary>
/// The per-job directory and the files the job wrapper writes there. stdout.log and stderr.log hold every attempt (a
/// later one after a marker line); pid, exit_code and attempt belong to the latest attempt.
/// </summary>
internal sealed class JobDirectory(string root, long jobId)
{
    public string Path { get; } = System.IO.Path.Combine(root, jobId.ToString(CultureInfo.InvariantCulture));
    public string Stdout => System.IO.Path.Combine(Path, "stdout.log");
    public string Stderr => System.IO.Path.Combine(Path, "stderr.log");
    public string PidFile => System.IO.Path.Combine(Path, "pid");
    public string ExitCodeFile => System.IO.Path.Combine(Path, "exit_code");
    public string AttemptFile => System.IO.Path.Combine(Path, "attempt");
    public string WorkDirectory => System.IO.Path.Combine(Path, "work");

    public string Log(LogStream stream) => stream == LogStream.Stdout ? Stdout : Stderr;

    /// <summary>The exit code the wrapper wrote when the command ended, or null if it never finished.</summary>
    public int? ReadExitCode() => ReadNumber(ExitCodeFile);

    public int? ReadPid() => ReadNumber(PidFile);

    /// <summary>The attempt that pid and exit_code belong to; null in directories written before attempts were counted.</summary>
    public int? ReadAttempt() => ReadNumber(AttemptFile);

    /// <summary>Makes the directory ready for a new attempt: the last attempt's pid and exit code go, the logs stay.</summary>
    public void PrepareAttempt(int attempt)
    {
        Directory.CreateDirectory(WorkDirectory);
        File.Delete(ExitCodeFile);
        File.Delete(PidFile);
        File.WriteAllText(AttemptFile, attempt.ToString(CultureInfo.InvariantCulture) + "\n");
    }

    /// <summary>
    /// Appends the marker line of a new attempt to both logs, unless this is a first attempt into empty logs (the output
    /// of a job that ran once is exactly what it printed).
    /// </summary>
    public void AppendMarkers(JobLaunch launch, DateTimeOffset startedAt)
    {
        var marker = string.Create(CultureInfo.InvariantCulture,
            $"==== serai: job {launch.JobId} attempt {launch.Attempt} started {startedAt.UtcDateTime:yyyy-MM-dd'T'HH:mm:ss'Z'} on {launch.Site}/{launch.Pool} ====\n");
        foreach (var path in (string[])[Stdout, Stderr])
        {
            using var file = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.ReadWrite | FileShare.Delete);
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

    private static int? ReadNumber(string path)
    {
        try
        {
            var text = File.ReadAllText(path).Trim();
            return int.TryParse(text, CultureInfo.InvariantCulture, out var value) ? value : null;
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
