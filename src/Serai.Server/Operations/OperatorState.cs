using Serai.Core.Model;

namespace Serai.Server.Operations;

/// <summary>
/// What operators have set, as the replay of their actions in order: overrides with their end times, drained sites,
/// pools and nodes, sites marked down, vendors cut off. Pure: the host turns it into the runtime's pool, node and
/// site settings (<see cref="OperationsService"/>). Written on the control loop's thread only.
/// </summary>
public sealed class OperatorState(HubModel hub)
{
    private readonly Dictionary<int, ActiveOverride> _overrides = [];
    private readonly Dictionary<int, string> _drainedSites = [];
    private readonly Dictionary<int, string> _drainedPools = [];
    private readonly Dictionary<(int Pool, int Node), string> _drainedNodes = [];
    private readonly HashSet<int> _downSites = [];
    private readonly Dictionary<string, string> _cutVendors = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>An override in force (until its end time, when it has one).</summary>
    public sealed record ActiveOverride(OverrideValues Values, long? UntilUnix, long ActionId);

    public HubModel Hub => hub;

    /// <summary>Applies one action; false when its target is not in the hub (an action stored before the hub changed).</summary>
    public bool Apply(OperatorAction action)
    {
        if (OperatorTarget.Parse(hub, action.Target) is not { } target)
        {
            return false;
        }
        var mode = action.Mode ?? DrainModes.Finish;
        switch (action.Action, target.Kind)
        {
            case (OperatorActions.Override or OperatorActions.Curtail, OperatorTarget.SiteKind) when action.Values is { } values:
                _overrides[target.Site] = new ActiveOverride(values, action.UntilUnix, action.Id);
                return true;
            case (OperatorActions.ClearOverride, OperatorTarget.SiteKind):
                _overrides.Remove(target.Site);
                return true;
            case (OperatorActions.Drain, OperatorTarget.SiteKind):
                _drainedSites[target.Site] = mode;
                return true;
            case (OperatorActions.Drain, OperatorTarget.PoolKind):
                _drainedPools[target.Pool] = mode;
                return true;
            case (OperatorActions.Drain, OperatorTarget.NodeKind):
                _drainedNodes[(target.Pool, target.Node)] = mode;
                return true;
            case (OperatorActions.Resume, OperatorTarget.SiteKind):
                _drainedSites.Remove(target.Site);
                return true;
            case (OperatorActions.Resume, OperatorTarget.PoolKind):
                _drainedPools.Remove(target.Pool);
                return true;
            case (OperatorActions.Resume, OperatorTarget.NodeKind):
                _drainedNodes.Remove((target.Pool, target.Node));
                return true;
            case (OperatorActions.Down, OperatorTarget.SiteKind):
                _downSites.Add(target.Site);
                return true;
            case (OperatorActions.Up, OperatorTarget.SiteKind):
                _downSites.Remove(target.Site);
                return true;
            case (OperatorActions.VendorCut, OperatorTarget.VendorKind):
                _cutVendors[target.Vendor!] = mode;
                return true;
            case (OperatorActions.VendorRestore, OperatorTarget.VendorKind):
                _cutVendors.Remove(target.Vendor!);
                return true;
            default:
                return false;
        }
    }

    /// <summary>Whether a pool takes no new work: drained itself, its site drained, or its vendor cut off.</summary>
    public bool PoolClosed(int pool)
    {
        var p = hub.Pools[pool];
        return _drainedPools.ContainsKey(pool) || _drainedSites.ContainsKey(p.Site) || _cutVendors.ContainsKey(p.Accelerator.Vendor);
    }

    public bool NodeClosed(int pool, int node) => _drainedNodes.ContainsKey((pool, node));

    public bool SiteDown(int site) => _downSites.Contains(site);

    /// <summary>The override in force at a site now; null when none, or when it has ended.</summary>
    public ActiveOverride? OverrideAt(int site, long nowUnix) =>
        _overrides.TryGetValue(site, out var o) && (o.UntilUnix is not { } until || until > nowUnix) && (o.Values.FromUnix is not { } from || from <= nowUnix) ? o : null;

    /// <summary>Drops overrides whose end time has passed; returns the sites that changed.</summary>
    public IReadOnlyList<int> Expire(long nowUnix)
    {
        var ended = _overrides.Where(o => o.Value.UntilUnix is { } until && until <= nowUnix).Select(o => o.Key).ToList();
        ended.ForEach(s => _overrides.Remove(s));
        return ended;
    }

    /// <summary>What is in force now, for the API and `serai operations`.</summary>
    public OperatorView View(long nowUnix) => new(
        [.. _overrides.Where(o => o.Value.UntilUnix is not { } until || until > nowUnix).OrderBy(o => o.Key)
            .Select(o => new OverrideView(hub.Sites[o.Key].Name, o.Value.Values, o.Value.UntilUnix))],
        [
            .. _drainedSites.OrderBy(d => d.Key).Select(d => new DrainView($"site:{hub.Sites[d.Key].Name}", d.Value)),
            .. _drainedPools.OrderBy(d => d.Key).Select(d => new DrainView($"pool:{hub.Pools[d.Key].QualifiedName(hub)}", d.Value)),
            .. _drainedNodes.OrderBy(d => d.Key).Select(d => new DrainView(FormattableString.Invariant($"node:{hub.Pools[d.Key.Pool].QualifiedName(hub)}/{d.Key.Node}"), d.Value)),
        ],
        [.. _downSites.Order().Select(s => hub.Sites[s].Name)],
        [.. _cutVendors.OrderBy(v => v.Key, StringComparer.Ordinal).Select(v => new DrainView($"vendor:{v.Key}", v.Value))]);
}

/// <summary>An override in force, as the API shows it.</summary>
public sealed record OverrideView(string Site, OverrideValues Values, long? UntilUnix)
{
    public string Text => Values.Describe();
}

/// <summary>A drained site, pool or node, or a vendor cut off, and what its running jobs do.</summary>
public sealed record DrainView(string Target, string Mode);

/// <summary>Every operator setting in force.</summary>
public sealed record OperatorView(IReadOnlyList<OverrideView> Overrides, IReadOnlyList<DrainView> Drained, IReadOnlyList<string> SitesDown, IReadOnlyList<DrainView> VendorsCut)
{
    public static readonly OperatorView Empty = new([], [], [], []);
}
