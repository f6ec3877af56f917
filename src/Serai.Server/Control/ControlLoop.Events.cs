using System.Data.Common;
using Serai.Core.Jobs;
using Serai.Core.State;
using Serai.Execution;
using Serai.Server.Jobs;
using Serai.Server.Persistence;

namespace Serai.Server.Control;

/// <summary>Event handling of the control loop: submissions, cancels, process exits and registry changes.</summary>
public sealed partial class ControlLoop
{
    /// <summary>Handles one event; true when the scheduler should look again.</summary>
    private async Task<bool> HandleAsync(ControlEvent controlEvent, CancellationToken cancellationToken)
    {
        switch (controlEvent)
        {
            case JobSubmitted submitted:
                return await QueueAsync(submitted.Row, submitted.Request).ConfigureAwait(false);
            case CancelRequested cancel:
                cancel.Outcome.TrySetResult(await CancelAsync(cancel.JobId, cancel.By, cancellationToken).ConfigureAwait(false));
                return true;
            case ProcessEnded ended:
                return await EndAsync(ended).ConfigureAwait(false);
            case RegistryChanged:
                RebuildHub();
                return true;
            default:
                return false;
        }
    }

    private async Task<bool> QueueAsync(JobRow row, JobRequest request)
    {
        if (_requests.ContainsKey(row.Id) || row.State != JobStates.Pending)
        {
            return false;
        }
        if (!ReferenceEquals(hubs.Hub, _state.Hub))
        {
            RebuildHub(); // the API saw a registry change first; the loop catches up before resolving names
        }
        var (spec, error) = JobSpecs.Resolve(_state.Hub, row.Id, request, row.SubmitUnix);
        if (spec is null)
        {
            var now = Now;
            await writer.WriteAsync((c, t) =>
            {
                JobStore.MarkEnded(c, t, row.Id, JobStates.Failed, now, null, error!);
                AuditStore.Append(c, t, now, "reject", row.Id, row.Tenant, "UnknownReference", error!);
            }).ConfigureAwait(false);
            return false;
        }
        _pending[row.Id] = new PendingJob(spec, row.NotBeforeUnix ?? 0, row.NotBeforeUnix is not null);
        _requests[row.Id] = request;
        return true;
    }

    private async Task<CancelOutcome> CancelAsync(long id, string by, CancellationToken cancellationToken)
    {
        var now = Now;
        var reason = $"cancelled by {by}";
        if (_pending.Remove(id, out var pending))
        {
            _requests.Remove(id);
            _preemptions.Remove(id);
            _waitReasons.TryRemove(id, out _);
            var tenant = hubs.Hub.Tenants[pending.Spec.Tenant].Name;
            await writer.WriteAsync((c, t) =>
            {
                JobStore.MarkEnded(c, t, id, JobStates.Cancelled, now, null, reason);
                AuditStore.Append(c, t, now, "cancel", id, tenant, null, $"job {id} {reason} while pending");
            }).ConfigureAwait(false);
            return CancelOutcome.Cancelled;
        }
        if (_state.Running.TryGetValue(new JobId(id), out var running))
        {
            await StopAndConfirmAsync([RefOf(id, running)], StopKind.Cancel, cancellationToken).ConfigureAwait(false);
            now = Now;
            var segment = UsageMath.Segment(_state, running, now);
            _state.Release(running.Id);
            _requests.Remove(id);
            _preemptions.Remove(id);
            await writer.WriteAsync((c, t) =>
            {
                UsageStore.Append(c, t, segment);
                JobStore.MarkEnded(c, t, id, JobStates.Cancelled, now, null, reason);
                AuditStore.Append(c, t, now, "cancel", id, segment.Tenant, null, $"job {id} {reason} while running; its processes were stopped");
            }).ConfigureAwait(false);
            return CancelOutcome.Cancelled;
        }
        return CancelOutcome.AlreadyFinished;
    }

    private async Task<bool> EndAsync(ProcessEnded ended)
    {
        if (!_state.Running.TryGetValue(new JobId(ended.JobId), out var running))
        {
            return false;
        }
        var now = Now;
        var segment = UsageMath.Segment(_state, running, now);
        _state.Release(running.Id);
        _requests.Remove(ended.JobId);
        _preemptions.Remove(ended.JobId);
        var state = ended.ExitCode == 0 ? JobStates.Succeeded : JobStates.Failed;
        _counters = _counters with { Completed = _counters.Completed + 1 };
        await writer.WriteAsync((c, t) =>
        {
            UsageStore.Append(c, t, segment);
            JobStore.MarkEnded(c, t, ended.JobId, state, now, ended.ExitCode, ended.Reason);
        }).ConfigureAwait(false);
        return true;
    }

    /// <summary>Rebuilds the hub with the registry as stored and moves the running jobs onto a fresh state.</summary>
    private void RebuildHub()
    {
        var hub = HubHolder.WithAiSystems(hubs.Configured, AiSystemStore.Merge(hubs.Configured, aiSystems.LoadAll()));
        var fresh = new HubState(hub, Now);
        foreach (var job in _state.Running.Values)
        {
            fresh.Start(job);
        }
        hubs.Replace(hub);
        _state = fresh;
        foreach (var (id, request) in _requests)
        {
            if (_pending.TryGetValue(id, out var pending) && JobSpecs.Resolve(hub, id, request, pending.Spec.SubmitUnix).Spec is { } spec)
            {
                _pending[id] = pending with { Spec = spec };
            }
        }
    }

    private static Action<DbConnection, DbTransaction> Audit(long now, string kind, long id, string tenant, string code, string message) =>
        (c, t) => AuditStore.Append(c, t, now, kind, id, tenant, code, message);
}
