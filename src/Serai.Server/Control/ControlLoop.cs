using System.Collections.Concurrent;
using System.Diagnostics;
using System.Threading.Channels;
using Serai.Contracts;
using Serai.Core.Jobs;
using Serai.Execution;
using Serai.Runtime;
using Serai.Runtime.Journal;
using Serai.Runtime.Lifecycle;
using Serai.Scheduling;
using Serai.Server.Jobs;
using Serai.Server.Leadership;
using Serai.Server.Persistence;

namespace Serai.Server.Control;

/// <summary>
/// The live host of the hub runtime: the real clock, the site backends and the database journal. Events from the
/// API (submit, cancel, registry) and from backends are handled one at a time on the loop; after each batch the
/// runtime runs a cycle if something changed. The API reads only the published <see cref="Snapshot"/>.
/// </summary>
public sealed class ControlLoop(
    HubHolder hubs,
    ISchedulingPolicy scheduler,
    BackendRouter backend,
    LoopStores stores,
    TimeProvider time,
    ControlLoopOptions options,
    ServerLeadership leadership,
    ILogger<ControlLoop> logger) : BackgroundService, IRuntimeObserver
{
    private readonly Channel<ControlEvent> _events = Channel.CreateUnbounded<ControlEvent>(new UnboundedChannelOptions { SingleReader = true });
    private readonly ConcurrentDictionary<long, JobRequest> _requests = new();
    private readonly ConcurrentDictionary<long, Decision> _waitReasons = new();
    private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private HubRuntime _runtime = null!;
    private DatabaseJournal _journal = null!;
    private JobGate? _gate;
    private volatile HubSnapshot _snapshot = HubSnapshot.Empty;
    private long _lastFullCycleUnix;

    public HubSnapshot Snapshot => _snapshot;

    /// <summary>Completes once the runtime has been rebuilt from the database and reconciled with the backends.</summary>
    public Task Ready => _ready.Task;

    /// <summary>The journal (tests inject write failures through it).</summary>
    public DatabaseJournal Journal => _journal;

    /// <summary>Why a pending job waits, as the last cycle said (put into words only when asked).</summary>
    public string? WaitReason(long jobId) =>
        _gate?.Reason(jobId) ?? (_waitReasons.TryGetValue(jobId, out var decision)
            ? (ExplainWait is { } explain && _requests.TryGetValue(jobId, out var request) ? explain(jobId, request, decision) : null) ?? decision.Describe(hubs.Hub, hubs.AiSystems)
            : null);

    /// <summary>Puts a wait into words with the figures of the rules that keep free GPUs from the job (set by live operations).</summary>
    public Func<long, JobRequest, Decision, string?>? ExplainWait { get; set; }

    /// <summary>Called on the loop's thread for each recorded move of a job submitted with a webhook (must not block).</summary>
    public Action<JobTransition, JobRequest>? Transitioned { get; set; }

    public void Post(ControlEvent controlEvent) => _events.Writer.TryWrite(controlEvent);

    private long Now => time.GetUtcNow().ToUnixTimeSeconds();

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // a standby waits here; once it leads it takes over exactly as a restart does: state from the database,
        // running jobs reattached. Losing the leader lock stops the loop at once.
        await leadership.WhenLeadingAsync(stoppingToken).ConfigureAwait(false);
        using var leading = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken, leadership.Lost);
        stoppingToken = leading.Token;
        backend.EventRaised += e => Post(new BackendReported(e));
        try
        {
            _journal = new DatabaseJournal(stores.Writer, () => hubs.Hub) { Written = Forget };
            var effects = new BackendEffects(backend, () => hubs.Hub, id => _requests.GetValueOrDefault(id), Post, logger);
            var restore = new LoopRestore(hubs, stores, backend, logger);
            _runtime = await restore.BuildAsync(scheduler, effects, _journal, this, _requests, Now, stoppingToken).ConfigureAwait(false);
            _gate = new JobGate(_requests, stores.Jobs.StateOf);
            _runtime.QueueGate = _gate;
            _lastFullCycleUnix = Now;
            Publish();
            _ready.TrySetResult();
        }
        catch (Exception e)
        {
            _ready.TrySetException(e);
            throw;
        }
        _ = TickAsync(stoppingToken);
        Post(new Tick());
        var stopwatch = new Stopwatch();
        while (await _events.Reader.WaitToReadAsync(stoppingToken).ConfigureAwait(false))
        {
            stopwatch.Restart();
            var now = Math.Max(Now, _runtime.NowUnix);
            _runtime.AdvanceTo(now);
            var retry = new List<ControlEvent>();
            while (_events.Reader.TryRead(out var next))
            {
                try
                {
                    Handle(next);
                }
                catch (Exception e) when (e is JournalException or StoreUnavailableException)
                {
                    // nothing of it was applied: answer a cancel now, retry anything else after a pause
                    if (next is CancelRequested cancel)
                    {
                        cancel.Outcome.TrySetResult(CancelOutcome.Unavailable);
                    }
                    else
                    {
                        retry.Add(next);
                    }
                    logger.LogWarning("control loop: {Event} not recorded, will retry: {Message}", next.GetType().Name, e.Message);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    logger.LogError(e, "control loop: handling {Event} failed", next.GetType().Name);
                    (next as CancelRequested)?.Outcome.TrySetException(e);
                }
            }
            _runtime.WakeDue(now);
            if (now - _lastFullCycleUnix >= options.FullCycleInterval.TotalSeconds)
            {
                _lastFullCycleUnix = now;
                _runtime.RequestCycle();
            }
            var cycleStart = Stopwatch.GetTimestamp();
            try
            {
                if (_runtime.EndInstant(now))
                {
                    var seconds = Stopwatch.GetElapsedTime(cycleStart).TotalSeconds;
                    _runtime.Counters.CycleSecondsSum += seconds;
                    _runtime.Counters.LastCycleSeconds = seconds;
                }
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // one failed cycle must not stop the hub: the next event or tick runs a fresh one
                logger.LogError(e, "control loop: a scheduling cycle failed");
            }
            CancelDoomed();
            Publish();
            if (retry.Count > 0)
            {
                _ = RetryLaterAsync(retry, stoppingToken);
            }
            // under load, cycles over a long queue are spaced so that the loop takes at most about a fifth of a core
            var rest = TimeSpan.FromTicks(Math.Max(options.MinCycleInterval.Ticks, Math.Min(8 * stopwatch.Elapsed.Ticks, options.MaxCycleInterval.Ticks))) - stopwatch.Elapsed;
            if (rest > TimeSpan.Zero)
            {
                await Task.Delay(rest, time, stoppingToken).ConfigureAwait(false);
            }
        }
    }

    private void Handle(ControlEvent controlEvent)
    {
        switch (controlEvent)
        {
            case JobSubmitted submitted:
                Queue(submitted.Row, submitted.Request);
                break;
            case CancelRequested cancel:
                cancel.Outcome.TrySetResult(_runtime.Cancel(new JobId(cancel.JobId), cancel.By) switch
                {
                    CancelResult.Cancelled or CancelResult.Stopping => CancelOutcome.Cancelled,
                    _ => CancelOutcome.AlreadyFinished,
                });
                break;
            case DispatchAnswered { Handle: { } handle } answered:
                _runtime.OnStarted(new JobId(answered.Job.JobId), answered.Job.Attempt, handle);
                break;
            case DispatchAnswered answered:
                _runtime.OnDispatchFailed(new JobId(answered.Job.JobId), answered.Job.Attempt, answered.Error ?? "dispatch failed", answered.Requeue);
                break;
            case BackendReported reported:
                OnBackendEvent(reported.Event);
                break;
            case RequeueRequested requeue:
                requeue.Outcome.TrySetResult(_runtime.RequeueHolding(new JobId(requeue.JobId), requeue.By));
                break;
            case JobChangeRequested change:
                change.Outcome.TrySetResult(Change(change));
                break;
            case Operations.LoopAction action:
                action.Run(_runtime);
                break;
            case RegistryChanged changed:
                var aiSystems = AiSystemStore.Merge(hubs.Hub, stores.AiSystems.LoadAll());
                _runtime.ReplaceAiSystems(aiSystems);
                hubs.Publish(aiSystems);
                changed.Applied?.TrySetResult();
                break;
        }
    }

    private void OnBackendEvent(BackendEvent e)
    {
        var hub = _runtime.Hub;
        switch (e)
        {
            case JobEnded ended:
                var kind = ended.Kind switch
                {
                    JobEndKind.TimedOut => EndKind.TimedOut,
                    JobEndKind.NodeFailure => EndKind.NodeFailure,
                    JobEndKind.CancelledAtSite => EndKind.CancelledAtSite,
                    JobEndKind.Lost => EndKind.Lost,
                    _ => EndKind.Exited,
                };
                _runtime.OnEnded(new JobId(ended.Job.JobId), ended.Job.Attempt, new JobEnd(kind, ended.ExitCode, ended.Reason));
                break;
            case JobStopped stopped:
                _runtime.OnStopped(new JobId(stopped.Job.JobId), stopped.Job.Attempt);
                break;
            case NodeStateChanged node when hub.SiteIndex(node.Site) is { } site
                && hub.Sites[site].PoolIndexes.FirstOrDefault(p => hub.Pools[p].Name == node.Pool, -1) is var pool and >= 0
                && node.NodeIndex is { } index && index >= 0 && index < hub.Pools[pool].Nodes:
                if (node.State != NodeState.Drained)
                {
                    _runtime.SetNodeDown(pool, index, node.State == NodeState.Down, StopCause.NodeFailure);
                }
                logger.LogWarning("node {Site}/{Pool}/{Node} is {State}: {Reason}", node.Site, node.Pool, index, node.State, node.Reason);
                break;
            case JobSiteNote note when _runtime.Jobs.TryGetSlot(new JobId(note.Job.JobId), out var noted):
                var tenant = hub.Tenants[_runtime.Jobs.Spec[noted].Tenant].Name;
                var notedAt = _runtime.NowUnix;
                _ = stores.Writer.WriteAsync((c, t) => AuditStore.Append(c, t, notedAt, "site", note.Job.JobId, tenant, note.Code, note.Text))
                    .ContinueWith(w => logger.LogWarning(w.Exception, "a site note for job {Job} was not recorded", note.Job.JobId), TaskContinuationOptions.OnlyOnFaulted);
                break;
            case PoolGpusObserved observed when hub.SiteIndex(observed.Site) is { } at
                && hub.Sites[at].PoolIndexes.FirstOrDefault(p => hub.Pools[p].Name == observed.Pool, -1) is var observedPool and >= 0:
                _runtime.ObserveSiteUse(observedPool, observed.NotFreeByNode, observed.NotFree);
                break;
            case SiteStateChanged siteChanged when hub.SiteIndex(siteChanged.Site) is { } s:
                // unreachable is not failed: the site's manager runs its jobs on its own (requeuing them here would run them
                // twice); they keep their GPUs until the backend, answered again, reports how they ended
                _runtime.SetSiteUnreachable(s, siteChanged.State == SiteState.Down);
                logger.LogWarning("site {Site} is {State}: {Reason}", siteChanged.Site, siteChanged.State, siteChanged.Reason);
                break;
            default:
                logger.LogWarning("ignored a backend event about something this hub does not have: {Event}", e);
                break;
        }
    }

    private void Queue(JobRow row, JobRequest request)
    {
        if (_runtime.Jobs.TryGetSlot(new JobId(row.Id), out _) || row.State != JobStates.Pending)
        {
            return;
        }
        var (spec, error) = JobSpecs.Resolve(_runtime.Hub, _runtime.AiSystems, row.Id, request, row.SubmitUnix);
        if (spec is null)
        {
            var now = _runtime.NowUnix;
            stores.Writer.WriteAsync((c, t) =>
            {
                JobStore.MarkEnded(c, t, row.Id, JobStates.Failed, now, null, error!);
                AuditStore.Append(c, t, now, "reject", row.Id, row.Tenant, "UnknownReference", error!);
            }).GetAwaiter().GetResult();
            return;
        }
        _requests[row.Id] = request;
        _runtime.Submit(spec, row.NotBeforeUnix ?? 0);
    }

    /// <summary>Jobs whose dependency can never be satisfied are cancelled (at the next cycle when the journal refuses now).</summary>
    private void CancelDoomed()
    {
        foreach (var (job, reason) in _gate?.TakeDoomed() ?? [])
        {
            try
            {
                _runtime.Cancel(new JobId(job), $"Serai: {reason}");
            }
            catch (JournalException e)
            {
                logger.LogWarning("control loop: cancelling job {Job} not recorded, will retry: {Message}", job, e.Message);
            }
        }
    }

    /// <summary>Hold, release or update of a pending job: stored first, then the runtime and the gate see it.</summary>
    private ChangeOutcome Change(JobChangeRequested change)
    {
        if (!_requests.TryGetValue(change.JobId, out var request) || !_runtime.Jobs.TryGetSlot(new JobId(change.JobId), out var slot)
            || _runtime.Jobs.Phase[slot] != JobPhase.Pending)
        {
            return ChangeOutcome.NotPending;
        }
        var changed = change.Change(request);
        var (spec, error) = JobSpecs.Resolve(_runtime.Hub, _runtime.AiSystems, change.JobId, changed, _runtime.Jobs.Spec[slot].SubmitUnix);
        if (spec is null)
        {
            logger.LogWarning("job {Job}: change refused: {Error}", change.JobId, error);
            return ChangeOutcome.NotPending;
        }
        var json = System.Text.Json.JsonSerializer.Serialize(changed);
        var now = _runtime.NowUnix;
        try
        {
            stores.Writer.WriteAsync((c, t) => JobStore.UpdateSpec(c, t, change.JobId, json, changed.Name, changed.Priority, now)).GetAwaiter().GetResult();
        }
        catch (Exception e) when (e is System.Data.Common.DbException or TimeoutException or InvalidOperationException or StoreUnavailableException)
        {
            logger.LogWarning("job {Job}: change not recorded: {Message}", change.JobId, e.Message);
            return ChangeOutcome.Unavailable;
        }
        _requests[change.JobId] = changed;
        _runtime.UpdatePending(spec with { SubmitUnix = _runtime.Jobs.Spec[slot].SubmitUnix });
        _runtime.RequestCycle();
        return ChangeOutcome.Changed;
    }

    /// <summary>Wait reasons and requests of jobs that left the queue for good are dropped as their moves are written.</summary>
    private void Forget(IReadOnlyList<JobTransition> moves)
    {
        foreach (var m in moves)
        {
            if (Transitioned is { } transitioned && _requests.TryGetValue(m.Job.Value, out var request) && request.Notify is not null)
            {
                transitioned(m, request);
            }
            if (m.To != JobPhase.Pending || m.Action == "queue-ahead")
            {
                // a job queued ahead at its site: its reason is the journalled one ("queued at site ...")
                _waitReasons.TryRemove(m.Job.Value, out _);
            }
            if (m.To.IsFinal())
            {
                _requests.TryRemove(m.Job.Value, out _);
                _gate?.Forget(m.Job.Value);
            }
        }
    }

    void IRuntimeObserver.OnCycleApplied(CycleResult result, long nowUnix)
    {
        foreach (var d in result.Decisions)
        {
            if (d.Kind is DecisionKind.Wait or DecisionKind.Defer && _runtime.ClaimOf(d.Job) is null)
            {
                _waitReasons[d.Job.Value] = d; // the common case under load: no words, no writes
            }
        }
    }

    private async Task RetryLaterAsync(List<ControlEvent> events, CancellationToken stoppingToken)
    {
        try
        {
            await Task.Delay(TimeSpan.FromSeconds(1), time, stoppingToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            return;
        }
        events.ForEach(Post);
    }

    private async Task TickAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.TickInterval, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
            {
                Post(new Tick());
            }
        }
        catch (OperationCanceledException)
        {
            // stopping
        }
    }

    private void Publish()
    {
        var snapshot = SnapshotBuilder.Build(_runtime, _runtime.NowUnix);
        _snapshot = DecorateSites is { } decorate ? snapshot with { Sites = decorate(snapshot.Sites) } : snapshot;
    }

    /// <summary>Adds what live operations know to each published site: where its figures come from (set by live operations).</summary>
    public Func<IReadOnlyList<SiteNow>, IReadOnlyList<SiteNow>>? DecorateSites { get; set; }
}

/// <summary>The stores the control loop writes and reads, in one dependency.</summary>
public sealed record LoopStores(GroupCommitWriter Writer, JobStore Jobs, AiSystemStore AiSystems, TenantUsageStore TenantUsage);
