using System.Data.Common;
using System.Text.Json;
using Serai.Core.Jobs;
using Serai.Core.State;
using Serai.Execution;
using Serai.Server.Jobs;
using Serai.Server.Persistence;

namespace Serai.Server.Control;

/// <summary>Start of the control loop: rebuild state and queue from the database and reconcile with the backend.</summary>
public sealed partial class ControlLoop
{
    private async Task InitializeAsync(CancellationToken cancellationToken)
    {
        var hub = HubHolder.WithAiSystems(hubs.Configured, AiSystemStore.Merge(hubs.Configured, aiSystems.LoadAll()));
        hubs.Replace(hub);
        var now = Now;
        _state = new HubState(hub, now);
        var writes = new List<Action<DbConnection, DbTransaction>>();
        var rows = jobs.LoadUnfinished();
        foreach (var row in rows)
        {
            var request = JsonSerializer.Deserialize<JobRequest>(row.Spec)!;
            var (spec, error) = JobSpecs.Resolve(hub, row.Id, request, row.SubmitUnix);
            if (spec is null)
            {
                var reason = $"the hub changed while the server was down: {error}";
                writes.Add((c, t) => JobStore.MarkEnded(c, t, row.Id, JobStates.Failed, now, null, reason));
                continue;
            }
            if (row.Preemptions > 0)
            {
                _preemptions[row.Id] = row.Preemptions;
            }
            if (row.State == JobStates.Pending)
            {
                _pending[row.Id] = new PendingJob(spec, row.NotBeforeUnix ?? 0, row.NotBeforeUnix is not null);
                _requests[row.Id] = request;
                continue;
            }
            await ReconcileAsync(row, spec, request, now, writes, cancellationToken).ConfigureAwait(false);
        }
        await WriteAllAsync(writes).ConfigureAwait(false);
        logger.LogInformation("control loop ready: {Pending} pending, {Running} running jobs after reconciling with the {Backend} backend",
            _pending.Count, _state.Running.Count, backend.Name);
        Publish();
    }

    /// <summary>An admitted or running job at start: still running, ended while we were down, or gone.</summary>
    private async Task ReconcileAsync(JobRow row, JobSpec spec, JobRequest request, long now, List<Action<DbConnection, DbTransaction>> writes, CancellationToken cancellationToken)
    {
        var id = row.Id;
        var job = new JobRef(id, Attempt(id), row.Site ?? "");
        var found = backend.Serves(job.Site)
            ? await backend.ReattachAsync(job, row.BackendHandle, cancellationToken).ConfigureAwait(false)
            : new Reattachment(ReattachState.Gone); // admitted before a site was recorded, or at a site no longer configured
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
                    _state.Start(new RunningJob(spec, placement, row.StartedUnix ?? row.AdmittedUnix ?? now, row.PowerFraction ?? spec.PowerFraction));
                    _requests[id] = request;
                    if (row.State == JobStates.Admitted)
                    {
                        var handle = found.Handle ?? "";
                        writes.Add((c, t) => JobStore.MarkRunning(c, t, id, now, handle));
                    }
                }
                catch (Exception e) when (e is InvalidOperationException or IndexOutOfRangeException)
                {
                    await StopAndConfirmAsync([job], StopKind.Cancel, cancellationToken).ConfigureAwait(false);
                    var reason = $"stopped after restart: its placement does not fit the hub any more ({e.Message})";
                    writes.Add((c, t) => JobStore.MarkEnded(c, t, id, JobStates.Failed, now, null, reason));
                }
                break;
            case ReattachState.Exited:
                var state = found.ExitCode == 0 ? JobStates.Succeeded : JobStates.Failed;
                var ended = $"exited with code {found.ExitCode} while the server was down";
                writes.Add((c, t) => JobStore.MarkEnded(c, t, id, state, now, found.ExitCode, ended));
                break;
            case ReattachState.Gone when row.State == JobStates.Admitted:
                _pending[id] = new PendingJob(spec);
                _requests[id] = request;
                writes.Add((c, t) => JobStore.MarkPending(c, t, id, now, "requeued: the server stopped before the job's process started", false, null));
                break;
            default:
                const string gone = "the job's process was gone when the server restarted";
                writes.Add((c, t) => JobStore.MarkEnded(c, t, id, JobStates.Failed, now, null, gone));
                writes.Add(Audit(now, "lost", id, row.Tenant, "ProcessGone", gone));
                break;
        }
    }
}
