using Serai.Core.Jobs;
using Serai.Core.Model;

namespace Serai.Scheduling;

/// <summary>What the scheduler decided about one job.</summary>
public enum DecisionKind
{
    /// <summary>Start the job on <see cref="Decision.Placement"/>.</summary>
    Place,

    /// <summary>Stop a running job (<see cref="Decision.Job"/>) and put it back in the queue.</summary>
    Preempt,

    /// <summary>Cap a running job's power to <see cref="Decision.PowerFraction"/> of TDP (or restore it).</summary>
    Throttle,

    /// <summary>Keep a deferrable job waiting until <see cref="Decision.UntilUnix"/> (a cleaner or cheaper hour).</summary>
    Defer,

    /// <summary>The job can never run on this hub as specified.</summary>
    Reject,

    /// <summary>The job stays pending this cycle.</summary>
    Wait,
}

/// <summary>
/// One decision with a reason a person can read (<see cref="Describe"/>). Preemptions that make room for a job
/// come before that job's <see cref="DecisionKind.Place"/>; apply decisions in order.
/// </summary>
public readonly record struct Decision(
    DecisionKind Kind,
    JobId Job,
    Reason Reason,
    Placement? Placement = null,
    double PowerFraction = 0,
    long UntilUnix = 0,
    JobId ForJob = default)
{
    public static Decision Place(JobId job, Placement placement, double powerFraction, Reason reason) =>
        new(DecisionKind.Place, job, reason, placement, powerFraction);

    public static Decision Preempt(JobId victim, JobId forJob, Reason reason) =>
        new(DecisionKind.Preempt, victim, reason, ForJob: forJob);

    public static Decision Throttle(JobId job, double powerFraction, Reason reason) =>
        new(DecisionKind.Throttle, job, reason, PowerFraction: powerFraction);

    public static Decision Defer(JobId job, long untilUnix, Reason reason) =>
        new(DecisionKind.Defer, job, reason, UntilUnix: untilUnix);

    public static Decision Reject(JobId job, Reason reason) => new(DecisionKind.Reject, job, reason);

    public static Decision Wait(JobId job, Reason reason) => new(DecisionKind.Wait, job, reason);

    public string Describe(HubModel hub, AiSystemRegistry? aiSystems = null)
    {
        var what = Kind switch
        {
            DecisionKind.Place when Placement is { } p =>
                $"place job {Job} on {hub.Pools[p.Pool].QualifiedName(hub)} ({p.Gpus} × {hub.Pools[p.Pool].Accelerator.Model}, {p.Nodes.Length} node(s))",
            DecisionKind.Preempt when Reason.Code == ReasonCode.EnvelopePreempt => $"preempt job {Job} to bring its site within its power envelope",
            DecisionKind.Preempt => $"preempt job {Job} for job {ForJob}",
            DecisionKind.Throttle => $"throttle job {Job} to {PowerFraction:P0} of TDP",
            DecisionKind.Defer => $"defer job {Job} until {DateTimeOffset.FromUnixTimeSeconds(UntilUnix):yyyy-MM-dd HH:mm}Z",
            DecisionKind.Reject => $"reject job {Job}",
            _ => $"job {Job} waits",
        };
        return $"{what}: {Reason.Describe(hub, aiSystems)}";
    }
}
