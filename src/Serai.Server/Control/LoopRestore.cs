using System.Collections.Concurrent;
using System.Data.Common;
using System.Text.Json;
using Serai.Contracts;
using Serai.Core.Jobs;
using Serai.Execution;
using Serai.Runtime;
using Serai.Runtime.Execution;
using Serai.Runtime.Lifecycle;
using Serai.Scheduling;
using Serai.Server.Jobs;
using Serai.Server.Persistence;

namespace Serai.Server.Control;

/// <summary>
/// Start of the server: the runtime rebuilt from the database (fair-share usage, queued jobs, jobs that held GPUs)
/// and reconciled with each site's backend: still running, ended while the server was down, or gone.
/// </summary>
public sealed class LoopRestore(HubHolder hubs, LoopStores stores, IExecutionBackend backend, ILogger logger)
{
    public async Task<HubRuntime> BuildAsync(ISchedulingPolicy scheduler, IRuntimeEffects effects, DatabaseJournal journal, IRuntimeObserver observer,
        ConcurrentDictionary<long, JobRequest> requests, long now, CancellationToken cancellationToken)
    {
        var hub = hubs.Hub;
        var aiSystems = AiSystemStore.Merge(hub, stores.AiSystems.LoadAll());
        var options = new RuntimeOptions
        {
            JournalFairShare = true,
            // pools whose site queues work itself get jobs ahead of GPUs freeing; the look-ahead asks its own scheduler
            LookAheadGpus = [.. hub.Pools.Select(p => backend.LookAheadGpus(hub.Sites[p.Site].Name, p.Name))],
            LookAheadPolicy = scheduler is Scheduler s ? new Scheduler(s.Profile) { ExplainWaits = false } : null,
        };
        var runtime = new HubRuntime(hub, scheduler, options, now, effects, journal, observer);
        runtime.ReplaceAiSystems(aiSystems);
        hubs.Publish(aiSystems);
        var usage = stores.TenantUsage.LoadAll();
        if (usage.Count > 0)
        {
            var decayed = hub.Tenants.Select(t => usage.FirstOrDefault(u => u.Tenant == t.Name).DecayedGpuSeconds).ToArray();
            runtime.RestoreFairShare(decayed, usage.Max(u => u.AsOfUnix));
        }
        var writes = new List<Action<DbConnection, DbTransaction>>();
        var cancels = new List<long>();
        foreach (var row in stores.Jobs.LoadUnfinished())
        {
            var request = JsonSerializer.Deserialize<JobRequest>(row.Spec)!;
            var (spec, error) = JobSpecs.Resolve(hub, aiSystems, row.Id, request, row.SubmitUnix);
            if (spec is null)
            {
                var reason = $"the hub changed while the server was down: {error}";
                writes.Add((c, t) => JobStore.MarkEnded(c, t, row.Id, JobStates.Failed, now, null, reason));
                continue;
            }
            if (row.State == JobStates.Pending)
            {
                // queued ahead at a site before the stop (attempt, site and pool kept): found there again, or ended, or gone
                var claim = row.Site is not null && row.Pool is not null && row.Attempt > 0
                    ? await ReclaimAsync(row, spec, now, writes, cancellationToken).ConfigureAwait(false)
                    : null;
                if (claim is { Ended: true })
                {
                    continue;
                }
                runtime.RestorePending(spec, (int)row.Attempt, (int)row.Preemptions, row.NotBeforeUnix ?? 0);
                requests[row.Id] = request;
                if (claim is { Shape: { } shape } && !runtime.RestoreClaim(spec.Id, (int)row.Attempt, shape.Pool, shape, claim.Value.Handle))
                {
                    // the look-ahead is off now: take it back from the site and place it again
                    await backend.StopAsync(new JobRef(row.Id, (int)row.Attempt, row.Site!), StopKind.Cancel, cancellationToken).ConfigureAwait(false);
                    var id = row.Id;
                    writes.Add((c, t) => JobStore.MarkPending(c, t, id, now, "taken back from the site's queue after a restart (the look-ahead is off there now); placed again"));
                }
                continue;
            }
            if (await ReconcileAsync(runtime, row, spec, request, now, writes, cancellationToken).ConfigureAwait(false))
            {
                requests[row.Id] = request;
                if (row.State == JobStates.Stopping && row.StopCause == "cancel")
                {
                    cancels.Add(row.Id);
                }
            }
        }
        if (writes.Count > 0)
        {
            await stores.Writer.WriteAsync((c, t) => writes.ForEach(w => w(c, t))).ConfigureAwait(false);
        }
        foreach (var id in cancels)
        {
            runtime.Cancel(new JobId(id), "its tenant (a cancel begun before the restart)");
        }
        logger.LogInformation("control loop ready: {Pending} pending, {Running} holding GPUs after reconciling with the {Backend} backend",
            runtime.PendingCount, runtime.State.Running.Count, backend.Name);
        return runtime;
    }

    /// <summary>A job that held GPUs at the stop; true when it is back in the runtime (running or queued).</summary>
    private async Task<bool> ReconcileAsync(HubRuntime runtime, JobRow row, JobSpec spec, JobRequest request, long now,
        List<Action<DbConnection, DbTransaction>> writes, CancellationToken cancellationToken)
    {
        var id = row.Id;
        var attempt = (int)Math.Max(1, row.Attempt);
        var found = row.Site is { } site && hubs.Hub.SiteIndex(site) is not null
            ? await backend.ReattachAsync(new JobRef(id, attempt, site), row.BackendHandle, cancellationToken).ConfigureAwait(false)
            : new Reattachment(ReattachState.Gone);
        var preempting = row.State == JobStates.Stopping && row.StopCause != "cancel";
        switch (found.State)
        {
            case ReattachState.Running:
                var placement = PlacementCodec.Decode(row.Placement);
                try
                {
                    if (placement is null)
                    {
                        throw new InvalidOperationException("no placement was recorded");
                    }
                    runtime.RestoreHolding(spec, placement, row.AdmittedUnix ?? now, row.PowerFraction ?? spec.PowerFraction, attempt, JobPhase.Running,
                        row.AccountedUntilUnix ?? row.AdmittedUnix ?? now, (int)row.Preemptions, row.FirstStartedUnix ?? row.AdmittedUnix ?? now);
                    var handle = found.Handle ?? row.BackendHandle ?? "";
                    // a preemption begun before the restart is left to the scheduler: it decides again on the live state
                    writes.Add((c, t) => MarkRunningAgain(c, t, id, now, handle));
                    return true;
                }
                catch (Exception e) when (e is InvalidOperationException or IndexOutOfRangeException)
                {
                    await backend.StopAsync(new JobRef(id, attempt, row.Site!), StopKind.Cancel, cancellationToken).ConfigureAwait(false);
                    var reason = $"stopped after restart: its placement does not fit the hub any more ({e.Message})";
                    writes.Add((c, t) => JobStore.MarkEnded(c, t, id, JobStates.Failed, now, null, reason));
                    return false;
                }
            case ReattachState.Exited when row.State == JobStates.Stopping:
            case ReattachState.Gone when row.State is JobStates.Admitted or JobStates.Starting or JobStates.Stopping:
                if (row.State == JobStates.Stopping && !preempting)
                {
                    writes.Add((c, t) => JobStore.MarkEnded(c, t, id, JobStates.Cancelled, now, null, "cancelled; its processes had stopped when the server restarted"));
                    return false;
                }
                runtime.RestorePending(spec, attempt, (int)row.Preemptions + (preempting ? 1 : 0), 0);
                var why = preempting ? "preempted; its processes had stopped when the server restarted" : "requeued: the server stopped before the job's process started";
                writes.Add((c, t) => JobStore.MarkPending(c, t, id, now, why));
                return true;
            case ReattachState.Exited:
                var state = found.EndKind == JobEndKind.TimedOut ? JobStates.TimedOut : found.ExitCode == 0 ? JobStates.Succeeded : JobStates.Failed;
                var ended = found.Reason ?? $"exited with code {found.ExitCode} while the server was down";
                writes.Add((c, t) => JobStore.MarkEnded(c, t, id, state, now, found.ExitCode, ended));
                return false;
            default:
                const string gone = "the job's process was gone when the server restarted";
                writes.Add((c, t) =>
                {
                    JobStore.MarkEnded(c, t, id, JobStates.Failed, now, null, gone);
                    AuditStore.Append(c, t, now, "lost", id, row.Tenant, "ProcessGone", gone);
                });
                return false;
        }
    }

    /// <summary>
    /// A pending job the journal recorded as queued ahead at a site (attempt, site, pool), asked of the site by name and
    /// comment: still there → its shape, to be a claim again (exactly once); ended there meanwhile → its true end, recorded
    /// (Ended); gone → placed again (neither).
    /// </summary>
    private async Task<(bool Ended, Placement? Shape, string? Handle)?> ReclaimAsync(JobRow row, JobSpec spec, long now,
        List<Action<DbConnection, DbTransaction>> writes, CancellationToken cancellationToken)
    {
        var hub = hubs.Hub;
        var id = row.Id;
        var pool = hub.SiteIndex(row.Site!) is { } site ? hub.Sites[site].PoolIndexes.FirstOrDefault(p => hub.Pools[p].Name == row.Pool, -1) : -1;
        if (pool < 0)
        {
            writes.Add((c, t) => JobStore.MarkPending(c, t, id, now, "placed again: the site or pool it was queued at is not in the hub any more"));
            return null;
        }
        var found = await backend.ReattachAsync(new JobRef(id, (int)row.Attempt, row.Site!), row.BackendHandle, cancellationToken).ConfigureAwait(false);
        switch (found.State)
        {
            case ReattachState.Running:
                return (false, Shape(hub.Pools[pool], spec), found.Handle ?? row.BackendHandle);
            case ReattachState.Exited:
                var state = found.EndKind switch
                {
                    JobEndKind.TimedOut => JobStates.TimedOut,
                    JobEndKind.CancelledAtSite => JobStates.Cancelled,
                    _ => found.ExitCode == 0 ? JobStates.Succeeded : JobStates.Failed,
                };
                var ended = found.Reason ?? $"ended at site {row.Site} while the server was down";
                writes.Add((c, t) => JobStore.MarkEnded(c, t, id, state, now, found.ExitCode, ended));
                return (true, null, null);
            default:
                writes.Add((c, t) => JobStore.MarkPending(c, t, id, now, $"placed again: site {row.Site} no longer holds the attempt queued ahead there"));
                return null;
        }
    }

    /// <summary>The nodes and GPUs a job takes on a pool: one node when it fits there, else whole nodes.</summary>
    private static Placement Shape(Core.Model.NodePool pool, JobSpec spec) =>
        spec.Gpus <= pool.GpusPerNode
            ? new Placement(pool.Index, [0], [(1UL << spec.Gpus) - 1])
            : new Placement(pool.Index, [.. Enumerable.Range(0, (spec.Gpus + pool.GpusPerNode - 1) / pool.GpusPerNode)],
                [.. Enumerable.Range(0, (spec.Gpus + pool.GpusPerNode - 1) / pool.GpusPerNode).Select(_ => pool.GpusPerNode == 64 ? ulong.MaxValue : (1UL << pool.GpusPerNode) - 1)]);

    private static void MarkRunningAgain(DbConnection c, DbTransaction t, long id, long now, string handle) =>
        Dapper.SqlMapper.Execute(c,
            "update jobs set state = 'running', started_unix = coalesce(started_unix, @now), backend_handle = @handle, stop_cause = null, updated_unix = @now where id = @id",
            new { id, now, handle }, t);
}
