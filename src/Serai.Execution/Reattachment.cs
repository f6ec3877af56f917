namespace Serai.Execution;

/// <summary>What <see cref="IExecutionBackend.ReattachAsync"/> found.</summary>
public enum ReattachState
{
    Running,
    Exited,
    Gone,
}

/// <summary>The result of reattaching to an attempt after a restart; an ended one carries how it ended.</summary>
public sealed record Reattachment(ReattachState State, int? ExitCode = null, string? Handle = null, JobEndKind? EndKind = null, string? Reason = null);
