using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Serai.Execution.Slurm.Commands;

namespace Serai.Execution.Slurm;

/// <summary>
/// The batch script and sbatch arguments for one attempt. The tenant's command and environment are untrusted: they only
/// ever appear single-quoted inside the script (which Slurm runs as the job), never in a command line Serai runs.
/// </summary>
public static partial class BatchScript
{
    /// <summary>Whole minutes for sbatch --time, rounded up (Slurm counts minutes; 61 s becomes 2 min), at least 1.</summary>
    public static long TimeLimitMinutes(long seconds) => Math.Max(1, (seconds + 59) / 60);

    public static string Script(JobLaunch launch)
    {
        var text = new StringBuilder("#!/bin/sh\n");
        text.Append(CultureInfo.InvariantCulture, $"# serai job {launch.JobId} attempt {launch.Attempt} for tenant {Sanitize(launch.Tenant)}\n");
        if (launch.TimeLimitSeconds is { } limit and > 0)
        {
            text.Append(CultureInfo.InvariantCulture, $"# time limit {limit} s asked, {TimeLimitMinutes(limit)} min given (Slurm counts whole minutes)\n");
        }
        if (launch.Attempt > 1)
        {
            // every attempt appends to the same files; a later one starts after a marker line
            text.Append("marker=\"==== serai: job ").Append(launch.JobId).Append(" attempt ").Append(launch.Attempt)
                .Append(" started $(date -u +%Y-%m-%dT%H:%M:%SZ) on ").Append(Sanitize(launch.Site)).Append('/').Append(Sanitize(launch.Pool))
                .Append(" (slurm job $SLURM_JOB_ID) ====\"\n")
                .Append("printf '%s\\n' \"$marker\"\n");
            if (launch.ErrorPath is null || launch.ErrorPath != launch.OutputPath)
            {
                text.Append("printf '%s\\n' \"$marker\" >&2\n"); // one file for both streams gets the line once
            }
        }
        foreach (var (name, value) in launch.Environment ?? new Dictionary<string, string>())
        {
            text.Append("export ").Append(name).Append('=').Append(ShellQuote.Quote(value)).Append('\n');
        }
        text.Append(CultureInfo.InvariantCulture, $"export SERAI_JOB_ID={launch.JobId} SERAI_ATTEMPT={launch.Attempt}\n");
        text.Append("export SERAI_TENANT=").Append(ShellQuote.Quote(launch.Tenant))
            .Append(" SERAI_SITE=").Append(ShellQuote.Quote(launch.Site))
            .Append(" SERAI_POOL=").Append(ShellQuote.Quote(launch.Pool)).Append('\n');
        if (launch.WorkingDirectory is { } dir)
        {
            text.Append("cd ").Append(ShellQuote.Quote(dir)).Append(" || exit 1\n");
        }
        text.Append("exec");
        foreach (var arg in launch.Command)
        {
            text.Append(' ').Append(ShellQuote.Quote(arg));
        }
        return text.Append('\n').ToString();
    }

    /// <summary>The sbatch arguments (the script comes on stdin); <c>--parsable</c> prints "ID" or "ID;cluster".</summary>
    public static List<string> SbatchArguments(JobLaunch launch, SlurmBackendOptions options, SlurmPool pool)
    {
        var gpusPerNode = launch.Nodes.Count == 0 ? 0 : launch.Nodes.Max(n => n.GpuIndexes.Count);
        var args = new List<string>
        {
            "--parsable",
            "--job-name=" + SlurmNames.JobName(launch.JobId, launch.Attempt),
            "--comment=" + SlurmNames.Comment(launch.Job),
            "--partition=" + pool.Partition,
            "--nodes=" + Math.Max(1, launch.Nodes.Count).ToString(CultureInfo.InvariantCulture),
            "--no-requeue", // Serai places a failed attempt again itself, possibly at another site
            "--open-mode=append",
            "--output=" + SlurmNames.OutputArgument(options.OutputDirectory, launch, LogStream.Stdout),
            "--error=" + SlurmNames.OutputArgument(options.OutputDirectory, launch, LogStream.Stderr),
        };
        var type = pool.GresType is { } t ? t + ":" : "";
        if (gpusPerNode > 0 && launch.Nodes.All(n => n.GpuIndexes.Count == gpusPerNode))
        {
            args.Add(string.Create(CultureInfo.InvariantCulture, $"--gres=gpu:{type}{gpusPerNode}"));
        }
        else if (gpusPerNode > 0)
        {
            // an uneven gang (12 GPUs as 8 + 4): per-node GRES would give every node the most; ask for the total instead
            args.Add(string.Create(CultureInfo.InvariantCulture, $"--gpus={type}{launch.Nodes.Sum(n => n.GpuIndexes.Count)}"));
        }
        if (launch.TimeLimitSeconds is { } limit and > 0)
        {
            args.Add("--time=" + TimeLimitMinutes(limit).ToString(CultureInfo.InvariantCulture));
        }
        if (options.AccountByTenant.TryGetValue(launch.Tenant, out var account))
        {
            args.Add("--account=" + account);
        }
        if (options.WckeyByTenant.TryGetValue(launch.Tenant, out var wckey))
        {
            args.Add("--wckey=" + wckey);
        }
        var hosts = launch.Nodes.Select(n => n.Index >= 0 && n.Index < pool.NodeNames.Count ? pool.NodeNames[n.Index] : null).ToList();
        if (hosts.Count > 0 && hosts.All(h => h is not null))
        {
            // the nodes Serai chose; Slurm may still refuse them, and then the job waits with a reason we read
            args.Add("--nodelist=" + string.Join(',', hosts));
        }
        if (options.PassClusterFlag)
        {
            args.Add("--clusters=" + options.Cluster);
        }
        return args;
    }

    public static bool IsEnvironmentName(string name) => EnvName().IsMatch(name);

    // Site, pool and tenant names are config names, but they go into a script: keep only harmless characters.
    private static string Sanitize(string text) => UnsafeChars().Replace(text, "_");

    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_]*$")]
    private static partial Regex EnvName();

    [GeneratedRegex("[^A-Za-z0-9_.-]")]
    private static partial Regex UnsafeChars();
}
