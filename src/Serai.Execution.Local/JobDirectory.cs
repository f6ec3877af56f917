namespace Serai.Execution.Local;

/// <summary>The per-job working directory and the files the job wrapper writes there.</summary>
internal sealed class JobDirectory(string root, long jobId)
{
    public string Path { get; } = System.IO.Path.Combine(root, jobId.ToString(System.Globalization.CultureInfo.InvariantCulture));
    public string Stdout => System.IO.Path.Combine(Path, "stdout.log");
    public string Stderr => System.IO.Path.Combine(Path, "stderr.log");
    public string PidFile => System.IO.Path.Combine(Path, "pid");
    public string ExitCodeFile => System.IO.Path.Combine(Path, "exit_code");
    public string WorkDirectory => System.IO.Path.Combine(Path, "work");

    /// <summary>The exit code the wrapper wrote when the command ended, or null if it never finished.</summary>
    public int? ReadExitCode()
    {
        try
        {
            var text = File.ReadAllText(ExitCodeFile).Trim();
            return int.TryParse(text, System.Globalization.CultureInfo.InvariantCulture, out var code) ? code : null;
        }
        catch (IOException)
        {
            return null;
        }
    }

    public int? ReadPid()
    {
        try
        {
            var text = File.ReadAllText(PidFile).Trim();
            return int.TryParse(text, System.Globalization.CultureInfo.InvariantCulture, out var pid) ? pid : null;
        }
        catch (IOException)
        {
            return null;
        }
    }
}
