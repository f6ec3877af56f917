namespace Serai.Execution.Local;

/// <summary>Settings of the local backend: where job directories live, who jobs run as, how long a cancelled job may take to stop.</summary>
public sealed record LocalBackendOptions(string JobsDirectory)
{
    /// <summary>Time between SIGTERM and SIGKILL when a job is cancelled or preempted.</summary>
    public TimeSpan KillGraceTime { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Set GPU power limits with `nvidia-smi -pl` on throttle decisions (needs root; off unless asked).</summary>
    public bool ApplyPowerLimits { get; init; }

    /// <summary>How often reattached jobs (processes this server did not start) are checked.</summary>
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// Run each job as its tenant's unprivileged account. Needs root; null means: whenever this process runs as root.
    /// Without it jobs run as the server's own user and the backend says so (<see cref="LocalBackend.IsolationWarning"/>).
    /// </summary>
    public bool? SwitchUser { get; init; }

    /// <summary>The account each tenant's jobs run as (the hub's <c>runAs</c>); a tenant not listed runs as <c>serai-TENANT</c>.</summary>
    public IReadOnlyDictionary<string, string> AccountByTenant { get; init; } = new Dictionary<string, string>();

    /// <summary>Create a missing <c>serai-TENANT</c> account with useradd (accounts mapped with runAs are never created).</summary>
    public bool CreateAccounts { get; init; } = true;
}
