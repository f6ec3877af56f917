namespace Serai.Execution.Slurm;

/// <summary>How one site's Slurm cluster is reached and how Serai's pools, tenants and jobs map onto it.</summary>
public sealed record SlurmBackendOptions
{
    /// <summary>The hub's name of the site this cluster serves.</summary>
    public required string Site { get; init; }

    /// <summary>Slurm's ClusterName; passed as <c>-M</c> when <see cref="PassClusterFlag"/> is set (needs slurmdbd at the site).</summary>
    public required string Cluster { get; init; }

    public bool PassClusterFlag { get; init; }

    /// <summary>Pools of the site by name: partition, GRES type and Slurm node names in pool order.</summary>
    public required IReadOnlyDictionary<string, SlurmPool> Pools { get; init; }

    /// <summary>Slurm account per tenant; a tenant not listed submits under its Slurm user's default account.</summary>
    public IReadOnlyDictionary<string, string> AccountByTenant { get; init; } = new Dictionary<string, string>();

    public IReadOnlyDictionary<string, string> WckeyByTenant { get; init; } = new Dictionary<string, string>();

    /// <summary>A folder on the cluster's shared file system where job output goes (serai-ID.out / .err, every attempt appended).</summary>
    public required string OutputDirectory { get; init; }

    public TimeSpan PollInterval { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Longest wait for one Slurm command before it counts as failed (a submit is then looked up by name).</summary>
    public TimeSpan CommandTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Read ended jobs with <c>sacct -c</c> (jobcomp/filetxt on the controller host) instead of slurmdbd accounting.</summary>
    public bool AccountingFromJobComp { get; init; }

    /// <summary>Polls in a row a job may be missing from squeue before sacct is asked; then how many before it counts as lost.</summary>
    public int MissingPollsBeforeSacct { get; init; } = 2;

    public int MissingPollsBeforeLost { get; init; } = 6;

    /// <summary>Failed squeue answers in a row before the site is reported down.</summary>
    public int FailedPollsBeforeSiteDown { get; init; } = 3;

    /// <summary>Submissions tried for one attempt (each after looking the job up by name).</summary>
    public int SubmitTries { get; init; } = 3;
}

/// <summary>A Serai pool at a Slurm site: its partition, the GRES type of its GPUs (<c>gpu:TYPE:N</c>; null = untyped) and its node names, index = pool node index.</summary>
public sealed record SlurmPool(string Partition, string? GresType, IReadOnlyList<string> NodeNames)
{
    /// <summary>GPUs of jobs Serai may queue in this partition ahead of GPUs freeing (0 = none).</summary>
    public int LookAheadGpus { get; init; }
}
