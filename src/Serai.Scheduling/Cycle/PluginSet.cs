using Serai.Scheduling.Filters;
using Serai.Scheduling.Scores;

namespace Serai.Scheduling.Cycle;

/// <summary>The plugins a cycle runs, by extension point, registered by name. Safety filters are always present.</summary>
public sealed class PluginSet
{
    public static readonly PluginSet Default = new(
        [new StackAndMemoryFilter(), new GangShapeFilter(), new ResidencyFilter()],
        [new PoolOpenFilter(), new QuotaFilter(), new CapacityFilter(), new PowerEnvelopeFilter()],
        [new PackingScore(), new EnergyPriceScore(), new CarbonScore(), new DataLocalityScore()]);

    public PluginSet(IReadOnlyList<IPoolFilter> permanent, IReadOnlyList<IPoolFilter> dynamic, IReadOnlyList<IPoolScore> scores)
    {
        Permanent = permanent;
        Dynamic = dynamic;
        Scores = scores;
    }

    public IReadOnlyList<IPoolFilter> Permanent { get; }
    public IReadOnlyList<IPoolFilter> Dynamic { get; }
    public IReadOnlyList<IPoolScore> Scores { get; }

    public IEnumerable<string> Names => Permanent.Select(f => f.Name).Concat(Dynamic.Select(f => f.Name)).Concat(Scores.Select(s => s.Name));
}
