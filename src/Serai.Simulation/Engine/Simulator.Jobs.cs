using Serai.Core.Jobs;
using Serai.Core.State;

namespace Serai.Simulation.Engine;

/// <summary>The simulated backend: starting, stopping and accounting jobs.</summary>
public sealed partial class Simulator
{
    /// <summary>Speed of a job running at <paramref name="powerFraction"/> of TDP when it asked for <paramref name="wanted"/>.</summary>
    public double SpeedAt(double powerFraction, double wanted)
    {
        if (powerFraction <= 0 || wanted <= 0 || powerFraction >= wanted)
        {
            return 1;
        }
        return Math.Max(0.05, Math.Pow(powerFraction / wanted, Options.ThrottleSpeedExponent));
    }

    private void Started(int i, RunningJob running, long t)
    {
        var spec = Workload.Jobs[i];
        var pool = Hub.Pools[running.Placement.Pool];
        Jobs.Status[i] = JobStatus.Running;
        Jobs.Pool[i] = (short)pool.Index;
        if (Jobs.FirstStartUnix[i] < 0)
        {
            Jobs.FirstStartUnix[i] = t;
        }
        Jobs.LastStartUnix[i] = t;
        Jobs.SegmentStartUnix[i] = t;
        Jobs.CarbonMarkAtSegment[i] = Ledger.CarbonMark(pool.Site);
        Jobs.PriceMarkAtSegment[i] = Ledger.PriceMark(pool.Site);
        SetSpeed(i, running.PowerFraction, spec, t);
        foreach (var o in _observers)
        {
            o.OnJobStarted(this, i, t);
        }
    }

    private void SetSpeed(int i, double powerFraction, JobSpec spec, long t)
    {
        var pool = Hub.Pools[Jobs.Pool[i]];
        var fraction = powerFraction > 0 ? powerFraction : spec.PowerFraction;
        Jobs.Speed[i] = (float)SpeedAt(fraction, spec.PowerFraction);
        Jobs.GpuWatts[i] = (float)(spec.Gpus * pool.Accelerator.TdpWatts * fraction);
        Jobs.Token[i]++;
        var remaining = Math.Max(0, Workload.DurationSeconds[i] - Jobs.WorkDoneSeconds[i]);
        var seconds = Math.Max(1, (long)Math.Ceiling(remaining / Jobs.Speed[i] - 1e-9));
        _events.Push(t + seconds, EventKind.Completion, i, Jobs.Token[i]);
    }

    /// <summary>Books work, energy, carbon and cost of the running segment up to <paramref name="t"/> and opens a new one.</summary>
    private void CloseSegment(int i, long t)
    {
        var site = Hub.Pools[Jobs.Pool[i]].Site;
        var dt = t - Jobs.SegmentStartUnix[i];
        var watts = (double)Jobs.GpuWatts[i];
        Jobs.WorkDoneSeconds[i] += Jobs.Speed[i] * dt;
        Jobs.EnergyJoules[i] += watts * dt;
        Jobs.CarbonGrams[i] += watts / 3.6e6 * (Ledger.CarbonMark(site) - Jobs.CarbonMarkAtSegment[i]);
        Jobs.CostUsd[i] += watts / 3.6e6 * (Ledger.PriceMark(site) - Jobs.PriceMarkAtSegment[i]);
        Jobs.SegmentStartUnix[i] = t;
        Jobs.CarbonMarkAtSegment[i] = Ledger.CarbonMark(site);
        Jobs.PriceMarkAtSegment[i] = Ledger.PriceMark(site);
    }

    private void OnCompletion(SimEvent e, long t)
    {
        var i = e.Subject;
        if (Jobs.Status[i] != JobStatus.Running || Jobs.Token[i] != e.Token)
        {
            return; // stale: the job was throttled, preempted or failed since this was scheduled
        }
        CloseSegment(i, t);
        State.Release(new JobId(i));
        Jobs.Status[i] = JobStatus.Completed;
        Jobs.EndUnix[i] = t;
        _dirty = true;
        foreach (var o in _observers)
        {
            o.OnJobStopped(this, i, t, StopReason.Completed);
        }
    }

    /// <summary>
    /// A running job stopped before its end (already released from the state): checkpointable jobs keep the work up
    /// to their last checkpoint, others restart; it goes back in the queue.
    /// </summary>
    private void Interrupted(int i, long t, StopReason reason)
    {
        CloseSegment(i, t);
        var done = Jobs.WorkDoneSeconds[i];
        var interval = Options.CheckpointIntervalSeconds;
        var kept = Workload.Jobs[i].Checkpointable && interval > 0 ? Math.Floor(done / interval) * interval : 0;
        Counters.LostWorkGpuSeconds += (long)((done - kept) * Workload.Jobs[i].Gpus);
        Jobs.WorkDoneSeconds[i] = kept;
        Jobs.Token[i]++;
        Jobs.Status[i] = JobStatus.Pending;
        if (reason == StopReason.Preempted)
        {
            Jobs.Preemptions[i]++;
            Counters.Preemptions++;
        }
        else
        {
            Counters.FailureRequeues++;
        }
        _requeued.Add(i);
        _dirty = true;
        foreach (var o in _observers)
        {
            o.OnJobStopped(this, i, t, reason);
        }
    }

    private void FlushRequeued()
    {
        foreach (var i in _requeued)
        {
            _queue.Add(new PendingJob(Workload.Jobs[i]));
        }
        _requeued.Clear();
    }

    /// <summary>Releases every job on a node and requeues it (failures, vendor gone).</summary>
    private void EvictNode(int pool, int node, long t, StopReason reason)
    {
        var jobs = State.Pools[pool].JobsOn(node).ToArray();
        foreach (var id in jobs)
        {
            if (State.Release(id) is not null)
            {
                Interrupted((int)id.Value, t, reason);
            }
        }
    }

    internal SiteConditions ConditionsNow(int site) => State.Conditions(site, NowUnix);
}
