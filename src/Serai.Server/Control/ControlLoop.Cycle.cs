using System.Data.Common;
using System.Diagnostics;
using Serai.Core.Jobs;
using Serai.Execution;
using Serai.Scheduling;
using Serai.Server.Jobs;
using Serai.Server.Persistence;

namespace Serai.Server.Control;

/// <summary>One scheduling cycle: decide, apply to the state, persist, then act on the backend.</summary>
public sealed partial class ControlLoop
{
    private async Task CycleAsync(CancellationToken cancellationToken)
    {
        var now = Now;
        _state.AdvanceUsage(now);
        if (_pending.Count == 0 && _state.Running.Count == 0)
        {
            return;
        }
        var started = Stopwatch.GetTimestamp();
        CycleResult result;
        try
        {
            result = scheduler.Schedule(_state, [.. _pending.Values], now);
            _lastSchedulerError = null;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            if (_lastSchedulerError != e.Message)
            {
                logger.LogError(e, "scheduler cycle failed; jobs stay as they are until the next event or tick");
                _lastSchedulerError = e.Message;
            }
            return;
        }
        var seconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
        _counters = _counters with { Cycles = _counters.Cycles + 1, CycleSecondsSum = _counters.CycleSecondsSum + seconds, LastCycleSeconds = seconds };

        var writes = new List<Action<DbConnection, DbTransaction>>();
        var preempted = new List<JobRef>();
        var placed = new List<(long Id, RunningJob Job)>();
        var throttled = new List<(JobRef Job, double Fraction, double TdpWatts)>();
        var hub = _state.Hub;
        foreach (var d in result.Decisions)
        {
            var id = d.Job.Value;
            if (d.Kind == DecisionKind.Wait)
            {
                _waitReasons[id] = d; // the common case under load: no words, no writes
                continue;
            }
            var text = d.Describe(hub);
            var code = d.Reason.CodeName;
            switch (d.Kind)
            {
                case DecisionKind.Place when _pending.TryGetValue(id, out var job) && d.Placement is { } p:
                    DecisionApplier.Apply(_state, d, job.Spec, now);
                    _pending.Remove(id);
                    _waitReasons.TryRemove(id, out _);
                    placed.Add((id, _state.Running[d.Job]));
                    var pool = hub.Pools[p.Pool];
                    var (site, poolName, tenant) = (hub.Sites[pool.Site].Name, pool.Name, hub.Tenants[job.Spec.Tenant].Name);
                    var placement = PlacementCodec.Encode(p);
                    writes.Add((c, t) => JobStore.MarkAdmitted(c, t, id, now, placement, site, poolName, d.PowerFraction, text));
                    writes.Add(Audit(now, "place", id, tenant, code, text));
                    _counters = _counters with { Placed = _counters.Placed + 1 };
                    break;
                case DecisionKind.Preempt when _state.Running.ContainsKey(d.Job):
                    var victim = DecisionApplier.Apply(_state, d, null, now)!;
                    var segment = UsageMath.Segment(_state, victim, now);
                    _pending[id] = new PendingJob(victim.Spec);
                    preempted.Add(RefOf(id, victim));
                    _preemptions[id] = _preemptions.GetValueOrDefault(id) + 1;
                    writes.Add((c, t) =>
                    {
                        UsageStore.Append(c, t, segment);
                        JobStore.MarkPending(c, t, id, now, text, preempted: true, null);
                    });
                    writes.Add(Audit(now, "preempt", id, segment.Tenant, code, text));
                    _counters = _counters with { Preempted = _counters.Preempted + 1 };
                    break;
                case DecisionKind.Throttle when _state.Running.TryGetValue(d.Job, out var running):
                    DecisionApplier.Apply(_state, d, null, now);
                    throttled.Add((RefOf(id, running), d.PowerFraction, hub.Pools[running.Placement.Pool].Accelerator.TdpWatts));
                    writes.Add((c, t) => JobStore.SetPowerFraction(c, t, id, now, d.PowerFraction));
                    writes.Add(Audit(now, "throttle", id, hub.Tenants[running.Spec.Tenant].Name, code, text));
                    _counters = _counters with { Throttled = _counters.Throttled + 1 };
                    break;
                case DecisionKind.Defer when _pending.TryGetValue(id, out var deferred):
                    _waitReasons[id] = d;
                    if (deferred.NotBeforeUnix != d.UntilUnix)
                    {
                        _pending[id] = deferred with { NotBeforeUnix = d.UntilUnix, WasDeferred = true };
                        writes.Add((c, t) => JobStore.MarkPending(c, t, id, now, text, preempted: false, d.UntilUnix));
                        writes.Add(Audit(now, "defer", id, hub.Tenants[deferred.Spec.Tenant].Name, code, text));
                        _counters = _counters with { Deferred = _counters.Deferred + 1 };
                    }
                    break;
                case DecisionKind.Reject when _pending.Remove(id, out var rejected):
                    _requests.Remove(id);
                    _preemptions.Remove(id);
                    _waitReasons.TryRemove(id, out _);
                    writes.Add((c, t) => JobStore.MarkEnded(c, t, id, JobStates.Failed, now, null, text));
                    writes.Add(Audit(now, "reject", id, hub.Tenants[rejected.Spec.Tenant].Name, code, text));
                    _counters = _counters with { Rejected = _counters.Rejected + 1 };
                    break;
                default:
                    logger.LogWarning("ignored a decision about a job the loop does not hold: {Decision}", text);
                    break;
            }
        }
        await WriteAllAsync(writes).ConfigureAwait(false);
        await StopAndConfirmAsync(preempted, StopKind.Preempt, cancellationToken).ConfigureAwait(false);
        await DispatchAsync(placed, cancellationToken).ConfigureAwait(false);
        foreach (var (job, fraction, tdp) in throttled)
        {
            var what = await backend.ThrottleAsync(job, fraction, tdp, cancellationToken).ConfigureAwait(false);
            logger.LogInformation("job {Job} throttled to {Fraction:P0}: {What}", job.JobId, fraction, what);
        }
    }

    private async Task DispatchAsync(List<(long Id, RunningJob Job)> placed, CancellationToken cancellationToken)
    {
        var writes = new List<Action<DbConnection, DbTransaction>>();
        var hub = _state.Hub;
        foreach (var (id, job) in placed)
        {
            var request = _requests[id];
            var pool = hub.Pools[job.Placement.Pool];
            var nodes = job.Placement.Nodes.Select((node, i) => new LaunchNode(node, null, job.Placement.GpuIndexes(i).ToArray())).ToList();
            var launch = new JobLaunch(id, Attempt(id), request.Tenant, hub.Sites[pool.Site].Name, pool.Name, nodes, pool.Accelerator.Vendor, request.Command, request.TimeLimitSeconds);
            try
            {
                var handle = await backend.DispatchAsync(launch, cancellationToken).ConfigureAwait(false);
                var now = Now;
                writes.Add((c, t) => JobStore.MarkRunning(c, t, id, now, handle));
            }
            catch (DispatchException e)
            {
                var now = Now;
                _state.Release(job.Id);
                _requests.Remove(id);
                _preemptions.Remove(id);
                var reason = $"dispatch to the {backend.Name} backend failed: {e.Message}";
                writes.Add((c, t) => JobStore.MarkEnded(c, t, id, JobStates.Failed, now, null, reason));
                writes.Add(Audit(now, "dispatch-failed", id, request.Tenant, "DispatchFailed", reason));
                _counters = _counters with { DispatchFailures = _counters.DispatchFailures + 1 };
            }
        }
        await WriteAllAsync(writes).ConfigureAwait(false);
    }
}
