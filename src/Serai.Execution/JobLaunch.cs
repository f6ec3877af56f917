namespace Serai.Execution;

/// <summary>What a backend needs to start a placed job: its command and the GPUs it got on each node.</summary>
public sealed record JobLaunch(
    long JobId,
    string Tenant,
    IReadOnlyList<string> Command,
    string Vendor,
    IReadOnlyList<NodeGpus> Nodes,
    long? TimeLimitSeconds = null);

/// <summary>GPU indexes assigned to a job on one node of a pool.</summary>
public sealed record NodeGpus(string Pool, int Node, IReadOnlyList<int> GpuIndexes);

/// <summary>A job's process ended: its exit code when known, and a reason a person can read.</summary>
public sealed record JobExited(long JobId, int? ExitCode, string Reason);

/// <summary>What <see cref="IExecutionBackend.ReattachAsync"/> found.</summary>
public enum ReattachState
{
    Running,
    Exited,
    Gone,
}

/// <summary>The result of reattaching to a job after a restart.</summary>
public sealed record Reattachment(ReattachState State, int? ExitCode = null, string? Handle = null);

/// <summary>A job could not be started; the message says why.</summary>
public sealed class DispatchException(string message, Exception? inner = null) : Exception(message, inner);
