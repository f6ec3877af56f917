using System.Globalization;
using Serai.Scheduling.Deferral;
using Serai.Scheduling.Filters;
using Serai.Scheduling.Preemption;
using Serai.Scheduling.Profiles;
using Serai.Scheduling.Queue;
using Serai.Scheduling.Scores;

namespace Serai.Scheduling.Plugins;

/// <summary>The places where plugins plug in.</summary>
public enum ExtensionPoint
{
    QueueOrder,
    Filter,
    Score,
    Preemption,
    Deferral,
}

/// <summary>
/// Plugins by name at their extension point, from which a profile is assembled (Kubernetes' registry). Immutable: each
/// Add returns a new registry. The order of registration is the order filters run and scores are summed in, whatever
/// order a profile lists them in, so that two profiles with the same plugins decide alike.
/// </summary>
public sealed class PluginRegistry
{
    private readonly IQueueOrder[] _queueOrders;
    private readonly (IPoolFilter Filter, bool Safety)[] _filters;
    private readonly IPoolScore[] _scores;
    private readonly IPreemption[] _preemptions;
    private readonly IDeferral[] _deferrals;

    private PluginRegistry(IQueueOrder[] queueOrders, (IPoolFilter, bool)[] filters, IPoolScore[] scores, IPreemption[] preemptions, IDeferral[] deferrals)
    {
        (_queueOrders, _filters, _scores, _preemptions, _deferrals) = (queueOrders, filters, scores, preemptions, deferrals);
    }

    /// <summary>No plugins at all: a start for a registry of one's own.</summary>
    public static PluginRegistry Empty { get; } = new([], [], [], [], []);

    /// <summary>The built-in plugins. Safety filters are marked so: a profile cannot leave them out.</summary>
    public static PluginRegistry BuiltIn { get; } = Empty
        .AddQueueOrder(new FifoOrder())
        .AddQueueOrder(new FairShareOrder())
        .AddQueueOrder(new ShortestJobFirstOrder())
        .AddQueueOrder(new PriorityOrder())
        .AddQueueOrder(new LeastAttainedOrder())
        .AddFilter(new StackAndMemoryFilter(), safety: true)
        .AddFilter(new GangShapeFilter(), safety: true)
        .AddFilter(new ResidencyFilter(), safety: true)
        .AddFilter(new PoolOpenFilter(), safety: true)
        .AddFilter(new QuotaFilter())
        .AddFilter(new CapacityFilter(), safety: true)
        .AddFilter(new PowerEnvelopeFilter(), safety: true)
        .AddScore(new PackingScore())
        .AddScore(new EnergyPriceScore())
        .AddScore(new CarbonScore())
        .AddScore(new DataLocalityScore())
        .AddPreemption(new PriorityPreemption(reclaim: false))
        .AddPreemption(new PriorityPreemption(reclaim: true))
        .AddPreemption(new ShortestRemainingPreemption())
        .AddPreemption(new LeastAttainedPreemption())
        .AddDeferral(new CarbonDeferral());

    public PluginRegistry AddQueueOrder(IQueueOrder plugin) =>
        new([.. _queueOrders, Unique(ExtensionPoint.QueueOrder, plugin.Name, plugin)], _filters, _scores, _preemptions, _deferrals);

    /// <summary>A filter; a <paramref name="safety"/> filter runs in every profile.</summary>
    public PluginRegistry AddFilter(IPoolFilter plugin, bool safety = false) =>
        new(_queueOrders, [.. _filters, (Unique(ExtensionPoint.Filter, plugin.Name, plugin), safety)], _scores, _preemptions, _deferrals);

    public PluginRegistry AddScore(IPoolScore plugin) =>
        new(_queueOrders, _filters, [.. _scores, Unique(ExtensionPoint.Score, plugin.Name, plugin)], _preemptions, _deferrals);

    public PluginRegistry AddPreemption(IPreemption plugin) =>
        new(_queueOrders, _filters, _scores, [.. _preemptions, Unique(ExtensionPoint.Preemption, plugin.Name, plugin)], _deferrals);

    public PluginRegistry AddDeferral(IDeferral plugin) =>
        new(_queueOrders, _filters, _scores, _preemptions, [.. _deferrals, Unique(ExtensionPoint.Deferral, plugin.Name, plugin)]);

    /// <summary>The names registered at an extension point, in registry order.</summary>
    public IReadOnlyList<string> Names(ExtensionPoint point) => point switch
    {
        ExtensionPoint.QueueOrder => [.. _queueOrders.Select(p => p.Name)],
        ExtensionPoint.Filter => [.. _filters.Select(f => f.Filter.Name)],
        ExtensionPoint.Score => [.. _scores.Select(p => p.Name)],
        ExtensionPoint.Preemption => [.. _preemptions.Select(p => p.Name)],
        _ => [.. _deferrals.Select(p => p.Name)],
    };

    /// <summary>Filters every profile runs.</summary>
    public IReadOnlyList<string> SafetyFilters => [.. _filters.Where(f => f.Safety).Select(f => f.Filter.Name)];

    /// <summary>What may be named at an extension point, for messages: <c>packing, energy-price, carbon, data-locality</c>.</summary>
    public string Allowed(ExtensionPoint point) => string.Join(", ", Names(point));

    /// <summary>The registered spelling of <paramref name="name"/> at the extension point, ignoring case; null when unknown.</summary>
    public string? Resolve(ExtensionPoint point, string name) =>
        Names(point).FirstOrDefault(n => string.Equals(n, name.Trim(), StringComparison.OrdinalIgnoreCase));

    /// <summary>Everything wrong with a profile (unknown plugins, weights or settings out of range); empty when it can be assembled.</summary>
    public IReadOnlyList<ProfileProblem> Check(SchedulerProfile profile) => ProfileCheck.Problems(this, profile);

    /// <summary>
    /// The plugins of <paramref name="profile"/>. A profile from user input is checked at the edge first
    /// (<see cref="Check"/>); one that still fails here is a bug, so this throws.
    /// </summary>
    public PluginSet Assemble(SchedulerProfile profile)
    {
        if (Check(profile) is { Count: > 0 } problems)
        {
            throw new ArgumentException($"profile '{profile.Name}': {string.Join("; ", problems)}", nameof(profile));
        }
        var filters = _filters.Where(f => f.Safety || profile.HasFilter(f.Filter.Name)).Select(f => f.Filter).ToArray();
        var scores = _scores
            .Where(s => profile.Scores.GetValueOrDefault(s.Name) > 0)
            .Select(s => new WeightedScore(s, profile.Scores[s.Name]))
            .ToArray();
        return new PluginSet(
            profile,
            _queueOrders.First(q => q.Name == profile.QueueOrder),
            filters,
            scores,
            profile.Preemption is { } preemption ? _preemptions.First(p => p.Name == preemption) : null,
            profile.Deferral is { } deferral ? _deferrals.First(d => d.Name == deferral.Plugin) : null);
    }

    private T Unique<T>(ExtensionPoint point, string name, T plugin)
    {
        if (string.IsNullOrWhiteSpace(name) || Names(point).Contains(name, StringComparer.OrdinalIgnoreCase))
        {
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture,
                $"a {point} plugin needs a name of its own; '{name}' is empty or taken ({Allowed(point)})"), nameof(plugin));
        }
        return plugin;
    }
}
