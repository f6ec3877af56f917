using Serai.Config;
using Serai.Execution.Slurm;
using Serai.Execution.Slurm.Commands;

namespace Serai.Server;

/// <summary>Builds a <see cref="SlurmBackend"/> for each site whose hub config says <c>backend: slurm</c>.</summary>
public static class SlurmSites
{
    /// <summary>The backend settings of the hub file (empty when the hub did not come from a readable file).</summary>
    public static IReadOnlyDictionary<string, SiteBackendSettings> Settings(string hubPath)
    {
        if (!File.Exists(hubPath))
        {
            return new Dictionary<string, SiteBackendSettings>();
        }
        var result = HubConfigLoader.LoadFile(hubPath);
        return result.Ok ? result.Backends : new Dictionary<string, SiteBackendSettings>();
    }

    public static SlurmBackend Create(SlurmSiteSettings settings) => new(Options(settings), Runner(settings));

    public static SlurmBackendOptions Options(SlurmSiteSettings settings) => new()
    {
        Site = settings.Site,
        Cluster = settings.Cluster,
        PassClusterFlag = settings.PassClusterFlag,
        Pools = settings.Pools.ToDictionary(p => p.Key, p => new SlurmPool(p.Value.Partition, p.Value.GresType, p.Value.NodeNames) { LookAheadGpus = p.Value.LookAheadGpus }, StringComparer.Ordinal),
        AccountByTenant = settings.Accounts,
        WckeyByTenant = settings.Wckeys,
        OutputDirectory = settings.OutputDirectory,
        PollInterval = TimeSpan.FromSeconds(settings.PollSeconds),
        AccountingFromJobComp = settings.AccountingFromJobComp,
    };

    public static ICommandRunner Runner(SlurmSiteSettings settings) => settings.SshDestination is { } ssh
        ? new SshCommandRunner(ssh)
        : new ProcessCommandRunner(settings.SlurmConf is { } conf ? new Dictionary<string, string> { ["SLURM_CONF"] = conf } : null);
}
