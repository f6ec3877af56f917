using Serai.Execution;
using Serai.Execution.Slurm;

namespace Serai.Slurm.Tests.Unit;

/// <summary>Options and launches for unit tests of one site "kz" with pool "h100" on partition "gpu".</summary>
internal static class Launches
{
    public static SlurmBackendOptions Options(string outputDirectory = "/tmp/serai-slurm-unit") => new()
    {
        Site = "kz",
        Cluster = "kz",
        Pools = new Dictionary<string, SlurmPool> { ["h100"] = new("gpu", "h100", ["kz-n1", "kz-n2"]) },
        AccountByTenant = new Dictionary<string, string> { ["gov"] = "ministry" },
        WckeyByTenant = new Dictionary<string, string> { ["gov"] = "floods" },
        OutputDirectory = outputDirectory,
        PollInterval = TimeSpan.FromMilliseconds(20),
    };

    public static JobLaunch Launch(long jobId = 7, int attempt = 1, string tenant = "gov", long? limitSeconds = 61, params string[] command) =>
        new(jobId, attempt, tenant, "kz", "h100", [new LaunchNode(1, null, [0, 1])], "nvidia",
            command.Length == 0 ? ["echo", "hello"] : command, limitSeconds);
}
