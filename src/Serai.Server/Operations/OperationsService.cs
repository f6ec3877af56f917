using Serai.Runtime;
using Serai.Runtime.Lifecycle;
using Serai.Server.Control;
using Serai.Server.Jobs;
using Serai.Server.Persistence;

namespace Serai.Server.Operations;

/// <summary>Settings of live site operations, from the "Serai:Operations" configuration section.</summary>
public sealed class OperationsOptions
{
    public const string Section = "Serai:Operations";

    /// <summary>A measured figure older than this is stale: the model is used again, with the margin.</summary>
    public long FeedStaleSeconds { get; set; } = 600;

    /// <summary>Degrees added to the modelled outdoor temperature while a site's temperature feed is stale.</summary>
    public double StaleMarginC { get; set; } = 3;

    /// <summary>How often overrides' end times and feeds' ages are looked at.</summary>
    public double RefreshSeconds { get; set; } = 1;

    /// <summary>Suspend wholly idle nodes of a site over its envelope (and resume them when work waits and there is headroom).</summary>
    public bool SuspendIdleNodes { get; set; } = true;

    /// <summary>A suspended node's draw, as a fraction of its idle power (BMC, fans at rest).</summary>
    public double SuspendedDrawFraction { get; set; } = 0.05;

    /// <summary>Seconds from a resume until the node takes work (Slurm's ResumeTimeout): it draws idle power meanwhile.</summary>
    public long ResumeSeconds { get; set; } = 300;
}

/// <summary>
/// Operator actions and measured conditions on the live hub: each action is stored (with its audit entry) first, then
/// applied on the control loop; at start every stored action is replayed before the first cycle, so a drain or an
/// override survives a restart. The API reads the published <see cref="View"/> and <see cref="Sources"/>.
/// </summary>
public sealed class OperationsService(
    ControlLoop loop, HubHolder hubs, OperationsStore store, GroupCommitWriter writer, OperationsOptions options, TimeProvider time, ILogger<OperationsService> logger,
    Execution.BackendRouter backends)
    : IHostedService, IDisposable
{
    private readonly CancellationTokenSource _stopping = new();
    private readonly PowerSaver _saver = new(options);
    private readonly System.Collections.Concurrent.ConcurrentDictionary<int, (OperatorAction, CurtailPlan)> _curtailments = new();
    private bool _disposed;
    private OperatorState? _state;
    private SiteFeeds? _feeds;
    private volatile OperatorView _view = OperatorView.Empty;
    private volatile IReadOnlyList<SiteSources> _sources = [];

    public FeedOptions Feed => new(options.FeedStaleSeconds, options.StaleMarginC);

    /// <summary>The operator settings in force, as of the last look.</summary>
    public OperatorView View => _view;

    /// <summary>Where each site's figures come from, as of the last look (by site index).</summary>
    public IReadOnlyList<SiteSources> Sources => _sources;

    private long Now => time.GetUtcNow().ToUnixTimeSeconds();

    /// <summary>Posts the replay of stored actions before the control loop's first cycle, then looks again every second.</summary>
    public Task StartAsync(CancellationToken cancellationToken)
    {
        loop.Post(new LoopAction(Restore));
        loop.ExplainWait = ExplainWait;
        loop.DecorateSites = Decorate;
        _ = RefreshAsync(_stopping.Token);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        lock (_stopping)
        {
            if (!_disposed)
            {
                _stopping.Cancel();
            }
        }
        return Task.CompletedTask;
    }

    public void Dispose()
    {
        lock (_stopping)
        {
            _disposed = true;
            _stopping.Dispose();
        }
    }

    /// <summary>Stores an action and its audit entry, then applies it on the loop; returns it with its id.</summary>
    public async Task<OperatorAction> PerformAsync(OperatorAction action, OperatorTarget target, CurtailPlan? plan = null)
    {
        var stored = await writer.WriteAsync((c, t) => OperationsStore.Insert(c, t, action, plan)).ConfigureAwait(false);
        await RunAsync(runtime => Apply(runtime, stored, target)).ConfigureAwait(false);
        logger.LogInformation("operator action {Id}: {Text}", stored.Id, stored.Describe());
        return stored;
    }

    /// <summary>A measured reading of a site; applied on the loop, so the next cycle sees it.</summary>
    public Task RecordAsync(int site, long atUnix, double? temperatureC, double? itWatts, double? facilityWatts) =>
        RunAsync(runtime =>
        {
            Feeds(runtime).Record(site, atUnix, temperatureC, itWatts, facilityWatts, runtime.State.ModelledItWatts(site));
            Sync(runtime);
        });

    public IReadOnlyList<OperatorAction> History(int limit) => store.Load(limit);

    /// <summary>What a curtailment would do now (changes nothing).</summary>
    public async Task<CurtailPlan> PlanAsync(int site, double targetFacilityWatts, long fromUnix, long untilUnix)
    {
        CurtailPlan? plan = null;
        await RunAsync(runtime => plan = CurtailmentPlanner.Plan(runtime, site, targetFacilityWatts, fromUnix, untilUnix, options)).ConfigureAwait(false);
        return plan!;
    }

    /// <summary>Carries a curtailment out (stored and audited as an override of the grid connection) and keeps its plan for the report.</summary>
    public async Task<OperatorAction> CurtailAsync(OperatorAction action, OperatorTarget target, CurtailPlan plan)
    {
        var stored = await PerformAsync(action, target, plan).ConfigureAwait(false);
        _curtailments[target.Site] = (stored, plan);
        return stored;
    }

    /// <summary>Stored curtailments with their plans, newest first.</summary>
    public IReadOnlyList<(OperatorAction Action, CurtailPlan Plan)> Curtailments(int limit) => store.LoadCurtailments(limit);

    /// <summary>The last curtailment of a site (kept across restarts), with its plan; null when none.</summary>
    public (OperatorAction Action, CurtailPlan Plan)? Curtailment(int site) => _curtailments.TryGetValue(site, out var c) ? c : null;

    /// <summary>
    /// Runs work on the loop and returns once the snapshot after it is published: a second, empty action is handled only
    /// in the loop's next batch, after the batch of the first has run its cycle and published, so the caller reads its own write.
    /// </summary>
    private async Task RunAsync(Action<HubRuntime> work)
    {
        var action = new LoopAction(work);
        loop.Post(action);
        await action.Done.Task.WaitAsync(TimeSpan.FromSeconds(30)).ConfigureAwait(false);
        var published = new LoopAction(_ => { });
        loop.Post(published);
        await published.Done.Task.WaitAsync(TimeSpan.FromSeconds(30)).ConfigureAwait(false);
    }

    private void Restore(HubRuntime runtime)
    {
        var state = State(runtime);
        var replayed = 0;
        foreach (var (action, plan) in store.LoadCurtailments(1000).Reverse())
        {
            if (OperatorTarget.Parse(runtime.Hub, action.Target) is { Kind: OperatorTarget.SiteKind } site)
            {
                _curtailments[site.Site] = (action, plan); // the newest of each site stays
            }
        }
        foreach (var action in store.Load())
        {
            replayed += state.Apply(action) ? 1 : 0;
        }
        for (var s = 0; s < runtime.Hub.Sites.Length; s++)
        {
            if (state.SiteDown(s))
            {
                runtime.SetSiteDown(s, true);
            }
        }
        Sync(runtime);
        if (replayed > 0)
        {
            logger.LogInformation("operator actions: {Count} replayed; in force: {View}", replayed, _view);
        }
    }

    /// <summary>Applies one stored action: the settings first (nothing new goes where it was drained), then the requeues.</summary>
    private void Apply(HubRuntime runtime, OperatorAction action, OperatorTarget target)
    {
        State(runtime).Apply(action);
        var hub = runtime.Hub;
        var requeue = action.Mode == DrainModes.Requeue;
        switch (action.Action)
        {
            case OperatorActions.Down:
                runtime.SetSiteDown(target.Site, true);
                break;
            case OperatorActions.Up:
                runtime.SetSiteDown(target.Site, false);
                break;
        }
        Sync(runtime);
        PassOnDrains(hub, action, target);
        if (!requeue)
        {
            return;
        }
        switch (action.Action, target.Kind)
        {
            case (OperatorActions.Drain, OperatorTarget.SiteKind):
                foreach (var p in hub.Sites[target.Site].PoolIndexes)
                {
                    runtime.EvictPool(p, StopCause.Drained);
                }
                break;
            case (OperatorActions.Drain, OperatorTarget.PoolKind):
                runtime.EvictPool(target.Pool, StopCause.Drained);
                break;
            case (OperatorActions.Drain, OperatorTarget.NodeKind):
                runtime.EvictNode(target.Pool, target.Node, StopCause.Drained);
                break;
            case (OperatorActions.VendorCut, OperatorTarget.VendorKind):
                foreach (var pool in hub.Pools.Where(p => string.Equals(p.Accelerator.Vendor, target.Vendor, StringComparison.OrdinalIgnoreCase)))
                {
                    runtime.EvictPool(pool.Index, StopCause.VendorGone);
                }
                break;
        }
    }

    /// <summary>
    /// A drain or resume of a node, pool or site is passed on to the site's own manager (Slurm: scontrol update
    /// state=drain|resume), node by node, without waiting; each node ends drained when any operator setting still closes it.
    /// </summary>
    private void PassOnDrains(Core.Model.HubModel hub, OperatorAction action, OperatorTarget target)
    {
        if (action.Action is not (OperatorActions.Drain or OperatorActions.Resume) || target.Kind == OperatorTarget.VendorKind)
        {
            return;
        }
        var state = _state!;
        var pools = target.Kind == OperatorTarget.SiteKind ? hub.Sites[target.Site].PoolIndexes.ToArray() : [target.Pool];
        foreach (var p in pools)
        {
            var pool = hub.Pools[p];
            var nodes = target.Kind == OperatorTarget.NodeKind ? [target.Node] : Enumerable.Range(0, pool.Nodes).ToArray();
            foreach (var n in nodes)
            {
                var drained = state.PoolClosed(p) || state.NodeClosed(p, n);
                _ = PassOnAsync(hub.Sites[pool.Site].Name, pool.Name, n, drained, $"{action.Reason} (by {action.Actor})");
            }
        }
    }

    private async Task PassOnAsync(string site, string pool, int node, bool drained, string reason)
    {
        try
        {
            var done = await backends.SetNodeDrainedAsync(site, pool, node, drained, reason, _stopping.Token).ConfigureAwait(false);
            logger.LogInformation("{Site}/{Pool}/{Node}: {Done}", site, pool, node, done);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            logger.LogWarning(e, "{Site}/{Pool}/{Node}: the drain was not passed on to the site", site, pool, node);
        }
    }

    /// <summary>Makes the runtime match the operator state and the feeds; changes only what differs (each change wakes the envelope controller).</summary>
    private void Sync(HubRuntime runtime)
    {
        var state = State(runtime);
        var feeds = Feeds(runtime);
        var now = runtime.NowUnix;
        state.Expire(now);
        var hub = runtime.Hub;
        for (var p = 0; p < hub.Pools.Length; p++)
        {
            var pool = runtime.State.Pools[p];
            var closed = state.PoolClosed(p);
            if (pool.ClosedToNewWork != closed)
            {
                runtime.SetPoolClosed(p, closed);
            }
            for (var n = 0; n < hub.Pools[p].Nodes; n++)
            {
                if (pool.IsClosed(n) != state.NodeClosed(p, n))
                {
                    runtime.SetNodeClosed(p, n, !pool.IsClosed(n));
                }
            }
        }
        var feed = Feed;
        for (var s = 0; s < hub.Sites.Length; s++)
        {
            var current = runtime.State.Override(s);
            var wanted = feeds.Compose(s, current.Down, state.OverrideAt(s, now)?.Values, now, feed);
            if (!Equals(wanted ?? NoOverride, current))
            {
                runtime.SetOverride(s, wanted);
            }
        }
        _saver.Step(runtime, now); // idle nodes before the envelope controller's throttles and preemptions
        var sources = new List<SiteSources>(hub.Sites.Length);
        for (var s = 0; s < hub.Sites.Length; s++)
        {
            var (suspended, resuming) = PowerSaver.Count(runtime, s);
            sources.Add(SiteSources.Of(feeds, s, state.OverrideAt(s, now), now, feed) with { SuspendedNodes = suspended, ResumingNodes = resuming });
        }
        _sources = sources;
        _view = state.View(now);
    }

    /// <summary>Each site with where its figures come from (measured, modelled, stale, override); on the loop's thread.</summary>
    private IReadOnlyList<SiteNow> Decorate(IReadOnlyList<SiteNow> sites)
    {
        var sources = _sources;
        return [.. sites.Select((s, i) => i < sources.Count ? s with { Sources = sources[i] } : s)];
    }

    private string? ExplainWait(long id, JobRequest request, Scheduling.Decision decision)
    {
        var (spec, _) = JobSpecs.Resolve(hubs.Hub, hubs.AiSystems, id, request, 0);
        return spec is null ? null : WaitExplainer.Describe(hubs.Hub, hubs.AiSystems, loop.Snapshot, _view, spec, decision);
    }

    private OperatorState State(HubRuntime runtime) => _state ??= new OperatorState(runtime.Hub);

    private SiteFeeds Feeds(HubRuntime runtime) => _feeds ??= new SiteFeeds(runtime.Hub.Sites.Length);

    private async Task RefreshAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(Math.Max(0.1, options.RefreshSeconds)), time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
            {
                if (loop.Ready.IsCompletedSuccessfully && _state is not null)
                {
                    loop.Post(new LoopAction(Sync));
                }
            }
        }
        catch (OperationCanceledException)
        {
            // stopping
        }
    }

    private static readonly Core.State.SiteOverride NoOverride = new();
}
