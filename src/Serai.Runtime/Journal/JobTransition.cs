using Serai.Core.Jobs;
using Serai.Runtime.Lifecycle;

namespace Serai.Runtime.Journal;

/// <summary>
/// One move of one job, as the runtime is about to apply it: the journal persists it first. A move to the same
/// phase is a change within it: a throttle (running, with its power fraction) or a deferral (pending, until a time).
/// </summary>
public sealed record JobTransition(JobId Job, int Attempt, JobPhase From, JobPhase To, long AtUnix, string Action, string Code, string Text)
{
    /// <summary>The job's tenant (index in the hub).</summary>
    public int Tenant { get; init; }

    /// <summary>The placement of a job admitted (Pending → Admitted), with its site and pool names.</summary>
    public Placement? Placement { get; init; }
    public string? Site { get; init; }
    public string? Pool { get; init; }
    public double PowerFraction { get; init; }
    public long NotBeforeUnix { get; init; }
    public int? ExitCode { get; init; }

    /// <summary>The move counts a preemption (Stopping → Pending after a preemption, or Running → Pending at once).</summary>
    public bool Preempted { get; init; }

    /// <summary>The backend's handle of the attempt, when it reported one (Starting → Running).</summary>
    public string? Handle { get; init; }
}
