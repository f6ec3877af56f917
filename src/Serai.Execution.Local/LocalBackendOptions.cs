namespace Serai.Execution.Local;

/// <summary>Settings of the local backend: where job directories live and how long a cancelled job may take to stop.</summary>
public sealed record LocalBackendOptions(string JobsDirectory)
{
    /// <summary>Time between SIGTERM and SIGKILL when a job is cancelled or preempted.</summary>
    public TimeSpan KillGraceTime { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Set GPU power limits with `nvidia-smi -pl` on throttle decisions (needs root; off unless asked).</summary>
    public bool ApplyPowerLimits { get; init; }

    /// <summary>How often reattached jobs (processes this server did not start) are checked.</summary>
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromSeconds(1);
}
