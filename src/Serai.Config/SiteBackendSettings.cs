namespace Serai.Config;

/// <summary>How a site runs its jobs, beside the hub model (which stays backend-free): <see cref="SlurmSiteSettings"/> for a Slurm cluster.</summary>
public abstract record SiteBackendSettings(string Site)
{
    /// <summary>The <c>backend:</c> name ("slurm").</summary>
    public abstract string Kind { get; }
}

/// <summary>
/// A site run by a Slurm cluster: its ClusterName, how Serai runs Slurm commands (locally, optionally with a SLURM_CONF,
/// or over ssh to a login node), where job output goes, poll interval, and how pools and tenants map to partitions and accounts.
/// </summary>
public sealed record SlurmSiteSettings(
    string Site,
    string Cluster,
    string? SshDestination,
    string? SlurmConf,
    string OutputDirectory,
    double PollSeconds,
    bool AccountingFromJobComp,
    bool PassClusterFlag,
    IReadOnlyDictionary<string, SlurmPoolSettings> Pools,
    IReadOnlyDictionary<string, string> Accounts,
    IReadOnlyDictionary<string, string> Wckeys) : SiteBackendSettings(Site)
{
    public override string Kind => "slurm";
}

/// <summary>
/// A pool at a Slurm site: its partition, the GRES type of its GPUs (null = untyped <c>gpu:N</c>), its Slurm node names in
/// pool order (may be empty), and how many GPUs of jobs Serai may hand to Slurm's queue ahead of GPUs freeing (0 = none).
/// </summary>
public sealed record SlurmPoolSettings(string Partition, string? GresType, IReadOnlyList<string> NodeNames, int LookAheadGpus = 0);
