using Serai.Core.Jobs;
using Serai.Scheduling.Cycle;
using Serai.Scheduling.Filters;
using Serai.Scheduling.Profiles;

namespace Serai.Scheduling.Scores;

/// <summary>Packing: prefer the pool left fullest after placement, keeping other pools free for large gangs.</summary>
public sealed class PackingScore : IPoolScore
{
    public string Name => "packing";
    public bool LowerIsBetter => false;
    public double Weight(ScoreWeights weights) => weights.Packing;

    public double Raw(CycleContext context, JobSpec job, int pool)
    {
        var state = context.State.Pools[pool];
        var held = GangShape.For(job, state.Pool).HeldGpus(job, state.Pool);
        return 1 - (double)(state.FreeGpus - held) / state.Pool.Gpus;
    }
}

/// <summary>A figure per kWh of the job's facility energy at this hour (IT delta × PUE), per hour of running.</summary>
public abstract class FacilityEnergyScore : IPoolScore
{
    public abstract string Name { get; }
    public bool LowerIsBetter => true;
    public abstract double Weight(ScoreWeights weights);

    protected abstract double PerKwh(in Core.State.SiteConditions conditions);

    public double Raw(CycleContext context, JobSpec job, int pool)
    {
        var p = context.Hub.Pools[pool];
        ref readonly var c = ref context.Conditions(p.Site);
        return p.BusyDeltaWatts(job.Gpus, job.PowerFraction) * c.Pue / 1000 * PerKwh(c);
    }
}

/// <summary>Energy price: dollars per hour of the job's facility power at this hour's tariff.</summary>
public sealed class EnergyPriceScore : FacilityEnergyScore
{
    public override string Name => "energy-price";
    public override double Weight(ScoreWeights weights) => weights.EnergyPrice;
    protected override double PerKwh(in Core.State.SiteConditions conditions) => conditions.PriceUsdPerKwh;
}

/// <summary>Carbon: grams of CO2 per hour of the job's facility power at this hour's grid intensity.</summary>
public sealed class CarbonScore : FacilityEnergyScore
{
    public override string Name => "carbon";
    public override double Weight(ScoreWeights weights) => weights.Carbon;
    protected override double PerKwh(in Core.State.SiteConditions conditions) => conditions.CarbonGPerKwh;
}

/// <summary>Data locality: seconds to bring the job's datasets from their home sites over the links.</summary>
public sealed class DataLocalityScore : IPoolScore
{
    public string Name => "data-locality";
    public bool LowerIsBetter => true;
    public double Weight(ScoreWeights weights) => weights.DataLocality;

    public double Raw(CycleContext context, JobSpec job, int pool)
    {
        var site = context.Hub.Pools[pool].Site;
        var seconds = 0.0;
        foreach (var d in job.Datasets)
        {
            var dataset = context.Hub.Datasets[d];
            seconds += context.Hub.TransferSeconds(dataset.HomeSite, site, dataset.SizeGb);
        }
        return double.IsFinite(seconds) ? seconds : 1e12;
    }
}
