namespace Serai.Server;

/// <summary>Settings of the server, from the "Serai" configuration section (flags, environment SERAI__*, or code).</summary>
public sealed class SeraiServerOptions
{
    public const string Section = "Serai";
    public const string DefaultUrls = Contracts.ServerAddress.Default;

    /// <summary>`sqlite:PATH` (default `sqlite:.serai/serai.db`) or `postgres:CONNECTION-STRING`.</summary>
    public string Database { get; set; } = "sqlite:.serai/serai.db";

    /// <summary>
    /// How long a write waits for a database lock held by someone else before it fails; while writes fail the API
    /// answers 503 with Retry-After and <c>/healthz</c> says why.
    /// </summary>
    public double DatabaseLockTimeoutSeconds { get; set; } = 5;

    /// <summary>
    /// The address other servers on the same PostgreSQL database forward requests to while this one leads; empty = the
    /// first listen address (a wildcard host is replaced by this machine's name). At most 57 characters.
    /// </summary>
    public string? AdvertiseUrl { get; set; }

    /// <summary>
    /// Refuse to start on a SQLite file another server uses (`serai serve` sets it); otherwise the second server only
    /// says so, at error level and in /healthz.
    /// </summary>
    public bool RefuseSecondSqliteServer { get; set; }

    /// <summary>How often a standby tries for the leader lock (and half as often the leader checks it still holds it).</summary>
    public double LeaderPollSeconds { get; set; } = 0.5;

    /// <summary>Where job directories (working directory, stdout, stderr, exit code) live.</summary>
    public string DataDirectory { get; set; } = ".serai";

    /// <summary>The hub configuration file.</summary>
    public string Hub { get; set; } = "hubs/local.yaml";

    /// <summary>`local` runs jobs as processes on this machine; `none` accepts and schedules but runs nothing (benchmarks).</summary>
    public string Backend { get; set; } = "local";

    /// <summary>Scheduler profile: a built-in or one of the hub file's `scheduling:` profiles; empty = the one the file picks (else serai).</summary>
    public string? Profile { get; set; }

    /// <summary>An admin token to register on first start instead of a random one (tests, automation).</summary>
    public string? BootstrapAdminToken { get; set; }

    /// <summary>On first start, also create one token per tenant and print them.</summary>
    public bool CreateTenantTokens { get; set; } = true;

    /// <summary>With the local backend, fit a one-pool hub to the GPUs `nvidia-smi` lists.</summary>
    public bool DetectGpus { get; set; } = true;

    public double TickSeconds { get; set; } = 10;

    public double KillGraceSeconds { get; set; } = 5;

    /// <summary>
    /// Local jobs run as their tenant's unprivileged account (the hub's <c>runAs</c>, else <c>serai-TENANT</c>). Needs root;
    /// empty = whenever the server runs as root. Set false only on a machine whose every user may see the server's state.
    /// </summary>
    public bool? RunJobsAsTenants { get; set; }

    /// <summary>Create a missing <c>serai-TENANT</c> account with useradd when the server runs as root.</summary>
    public bool CreateJobAccounts { get; set; } = true;

    /// <summary>Failed authentications one client address may make per window before it is refused with 429.</summary>
    public int FailedAuthLimit { get; set; } = 20;

    /// <summary>The window of <see cref="FailedAuthLimit"/>, in seconds; a refused address may try again when it ends.</summary>
    public double FailedAuthWindowSeconds { get; set; } = 60;

    /// <summary>Apply throttle decisions with `nvidia-smi -pl` (needs root); off by default.</summary>
    public bool ApplyPowerLimits { get; set; }

    /// <summary>Hosts (names or addresses, comma-separated) a job's <c>notify</c> URL may name although loopback or private.</summary>
    public string? NotifyAllowedHosts { get; set; }
}
