using Serai.Core.Jobs;
using Serai.Runtime.Lifecycle;

namespace Serai.Runtime;

/// <summary>Rebuilding the runtime from a journal after a restart: queued and holding jobs, and fair-share usage.</summary>
public sealed partial class HubRuntime
{
    /// <summary>A job that was waiting (possibly deferred) when the host stopped.</summary>
    public int RestorePending(JobSpec spec, int attempts, int preemptions, long notBeforeUnix)
    {
        var slot = Submit(spec, notBeforeUnix);
        Jobs.Attempt[slot] = (ushort)attempts;
        Jobs.Preemptions[slot] = (ushort)preemptions;
        return slot;
    }

    /// <summary>
    /// A job that held GPUs when the host stopped and that its backend still runs (or had not started yet). Its
    /// accounting resumes from <paramref name="accountedUntilUnix"/>, priced hour by hour. Throws
    /// InvalidOperationException when the placement no longer fits the hub.
    /// </summary>
    public int RestoreHolding(JobSpec spec, Placement placement, long admittedUnix, double powerFraction, int attempt, JobPhase phase,
        long accountedUntilUnix, int preemptions, long firstStartUnix)
    {
        if (!phase.HoldsGpus())
        {
            throw new ArgumentException($"a restored holding job is admitted, starting or running, not {phase.Word()}", nameof(phase));
        }
        var running = new RunningJob(spec, placement, admittedUnix, powerFraction);
        State.Start(running);
        var slot = Jobs.Add(spec);
        Jobs.Phase[slot] = phase;
        Jobs.Attempt[slot] = (ushort)attempt;
        Jobs.Preemptions[slot] = (ushort)preemptions;
        Jobs.Pool[slot] = (short)placement.Pool;
        Jobs.Placement[slot] = placement;
        Jobs.FirstStartUnix[slot] = firstStartUnix;
        Jobs.LastStartUnix[slot] = admittedUnix;
        Usage.OpenBackdated(slot, running, Math.Min(NowUnix, Math.Max(admittedUnix, accountedUntilUnix)), NowUnix, State);
        _observer?.OnJobStarted(slot, NowUnix);
        _trigger.MarkEnvelope();
        if (phase == JobPhase.Admitted)
        {
            _gate.Hold(slot); // never sent: the next instant dispatches it, as any held placement
        }
        return slot;
    }

    /// <summary>Each tenant's decayed fair-share usage as journalled at <paramref name="asOfUnix"/>.</summary>
    public void RestoreFairShare(IReadOnlyList<double> decayedGpuSeconds, long asOfUnix) =>
        State.RestoreUsage(decayedGpuSeconds, Math.Min(asOfUnix, NowUnix));
}
