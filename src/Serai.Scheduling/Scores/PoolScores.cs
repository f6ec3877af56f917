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

/// <summary>Energy price: dollars per hour of the job's facility power (IT delta × PUE × price) at this hour.</summary>
public sealed class EnergyPriceScore : IPoolScore
{
    public string Name => "energy-price";
    public bool LowerIsBetter => true;
    public double Weight(ScoreWeights weights) => weights.EnergyPrice;

    public double Raw(CycleContext context, JobSpec job, int pool)
    {
        var p = context.Hub.Pools[pool];
        ref readonly var c = ref context.Conditions(p.Site);
        return p.BusyDeltaWatts(job.Gpus, job.PowerFraction) * c.Pue / 1000 * c.PriceUsdPerKwh;
    }
}

/// <summary>Carbon: grams of CO2 per hour of the job's facility power at this hour's grid intensity.</summary>
public sealed class CarbonScore : IPoolScore
{
    public string Name => "carbon";
    public bool LowerIsBetter => true;
    public double Weight(ScoreWeights weights) => weights.Carbon;

    public double Raw(CycleContext context, JobSpec job, int pool)
    {
        var p = context.Hub.Pools[pool];
        ref readonly var c = ref context.Conditions(p.Site);
        return p.BusyDeltaWatts(job.Gpus, job.PowerFraction) * c.Pue / 1000 * c.CarbonGPerKwh;
    }
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
