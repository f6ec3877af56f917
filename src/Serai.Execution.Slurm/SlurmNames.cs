using System.Globalization;
using System.Text.RegularExpressions;

namespace Serai.Execution.Slurm;

/// <summary>How a Serai attempt is named in Slurm (job name and comment), and reading them back.</summary>
public static partial class SlurmNames
{
    public static string JobName(long jobId, int attempt) => string.Create(CultureInfo.InvariantCulture, $"serai-{jobId}-{attempt}");

    public static string Comment(JobRef job) => string.Create(CultureInfo.InvariantCulture, $"serai job={job.JobId} attempt={job.Attempt} site={job.Site}");

    /// <summary>The Serai job and attempt a Slurm job name stands for, or null for jobs Serai did not submit.</summary>
    public static (long JobId, int Attempt)? Parse(string name)
    {
        var m = NamePattern().Match(name);
        return m.Success ? (long.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture), int.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture)) : null;
    }

    /// <summary>True when name and comment both say this attempt at this site (a job id alone is reused across clusters and restarts).</summary>
    public static bool Matches(JobRef job, string name, string comment) =>
        name == JobName(job.JobId, job.Attempt) && comment == Comment(job);

    public static string OutputFile(string directory, long jobId, LogStream stream) =>
        Path.Combine(directory, string.Create(CultureInfo.InvariantCulture, $"serai-{jobId}.{(stream == LogStream.Stdout ? "out" : "err")}"));

    /// <summary>
    /// The path sbatch's --output or --error gets: Serai's own file, else the job's (expanded by Serai, absolute) with each
    /// '%' doubled, since Slurm expands the patterns it is given once more (an expanded path holds no backslash).
    /// </summary>
    public static string OutputArgument(string directory, JobLaunch launch, LogStream stream) =>
        (stream == LogStream.Stdout ? launch.OutputPath : launch.ErrorPath) is { } named
            ? named.Replace("%", "%%", StringComparison.Ordinal)
            : OutputFile(directory, launch.JobId, stream);

    [GeneratedRegex(@"^serai-(\d{1,18})-(\d{1,9})$")]
    private static partial Regex NamePattern();
}
