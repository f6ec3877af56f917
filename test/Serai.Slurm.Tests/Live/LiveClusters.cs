using Serai.Execution;
using Serai.Execution.Slurm;
using Serai.Execution.Slurm.Commands;

namespace Serai.Slurm.Tests.Live;

/// <summary>
/// The two Slurm clusters scripts/services/slurm.sh runs on this machine (kz and uz, two nodes of 4 h100 each). Null when
/// they are not there outside CI; with CI=true a missing Slurm fails the test, it is never skipped silently.
/// </summary>
internal static class LiveClusters
{
    public static string Root => Environment.GetEnvironmentVariable("SERAI_SLURM_ROOT") ?? "/var/lib/serai-slurm";

    private static readonly Lazy<string?> Missing = new(FindProblem);

    /// <summary>True when the clusters answer; false (test returns early) outside CI when they do not; throws in CI.</summary>
    public static bool Available()
    {
        if (Missing.Value is null)
        {
            return true;
        }
        if (string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase))
        {
            Assert.Fail($"Slurm is required in CI: {Missing.Value} (run scripts/services/slurm.sh)");
        }
        return false;
    }

    public static string Conf(string cluster) => Path.Combine(Root, cluster, "slurm.conf");

    public static ProcessCommandRunner Runner(string cluster) => new(new Dictionary<string, string> { ["SLURM_CONF"] = Conf(cluster) });

    public static SlurmBackendOptions Options(string cluster) => new()
    {
        Site = cluster,
        Cluster = cluster,
        Pools = new Dictionary<string, SlurmPool> { ["h100"] = new("gpu", "h100", [$"{cluster}-n1", $"{cluster}-n2"]) },
        AccountByTenant = new Dictionary<string, string> { ["gov"] = "ministry" },
        OutputDirectory = Path.Combine(Root, cluster, "out"),
        PollInterval = TimeSpan.FromMilliseconds(500),
        AccountingFromJobComp = true,
    };

    public static SlurmBackend Backend(string cluster) => new(Options(cluster), Runner(cluster));

    /// <summary>Serai job ids unique across test runs (old jobs stay in squeue for MinJobAge).</summary>
    public static long NewJobId() => Random.Shared.NextInt64(1_000_000_000, 9_000_000_000);

    public static JobLaunch Launch(string cluster, int nodeIndex, string[] command, long? limitSeconds = null, int gpus = 1, long? jobId = null, int attempt = 1) =>
        new(jobId ?? NewJobId(), attempt, "gov", cluster, "h100", [new LaunchNode(nodeIndex, null, [.. Enumerable.Range(0, gpus)])], "nvidia", command, limitSeconds);

    /// <summary>Runs a Slurm command against one cluster (for the test's own actions: scontrol, sbatch directly).</summary>
    public static async Task<CommandResult> Slurm(string cluster, string program, params string[] args) =>
        await Runner(cluster).RunAsync(program, args, null, TimeSpan.FromSeconds(30), CancellationToken.None);

    /// <summary>Resumes a node and waits until Slurm can use it again (a resumed node is "not responding" until its next ping).</summary>
    public static async Task ResumeAsync(string cluster, string node)
    {
        await Slurm(cluster, "scontrol", "update", $"nodename={node}", "state=resume");
        var deadline = DateTime.UtcNow.AddSeconds(45);
        while (DateTime.UtcNow < deadline)
        {
            var state = (await Slurm(cluster, "sinfo", "-h", "-n", node, "-o", "%t")).Stdout.Trim();
            if (state is "idle" or "mix" or "alloc")
            {
                return;
            }
            await Task.Delay(500);
        }
    }

    public static async Task<string> ReadAllLogAsync(IExecutionBackend backend, string site, long jobId, LogStream stream = LogStream.Stdout)
    {
        var chunk = await backend.ReadLogAsync(site, jobId, stream, 0, 1 << 20, CancellationToken.None);
        return System.Text.Encoding.UTF8.GetString(chunk.Bytes);
    }

    public static async Task WaitUntilAsync(Func<Task<bool>> condition, double seconds, string what)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail($"{what} did not happen within {seconds} s");
            }
            await Task.Delay(250);
        }
    }

    private static string? FindProblem()
    {
        foreach (var cluster in (string[])["kz", "uz"])
        {
            if (!File.Exists(Conf(cluster)))
            {
                return $"no {Conf(cluster)}";
            }
            var answer = Slurm(cluster, "sinfo", "-h", "-o", "%N").GetAwaiter().GetResult();
            if (!answer.Ok || answer.Stdout.Trim().Length == 0)
            {
                return $"sinfo of cluster {cluster} did not answer: {answer.Problem}";
            }
            // the test clusters are the tests' own: jobs left by an interrupted run would take GPUs the tests count on
            Slurm(cluster, "scancel", "--full", "--user=" + Environment.UserName).GetAwaiter().GetResult();
        }
        return null;
    }
}
