using Serai.Core.Jobs;
using Serai.Scheduling.Filters;
using Serai.Scheduling.Plugins;

namespace Serai.Scheduling.Scores;

/// <summary>Packing: prefer the pool left fullest after placement, keeping other pools free for large gangs.</summary>
public sealed class PackingScore : IPoolScore
{
    public string Name => "packing";
    public bool LowerIsBetter => false;

    public double Raw(ISchedulingView view, JobSpec job, int pool)
    {
        var state = view.Pool(pool);
        var held = GangShape.HeldGpus(job);
        return 1 - (double)(state.FreeGpus - held) / state.Pool.Gpus;
    }
}

/// <summary>
/// A figure per kWh of the job's facility energy at this hour (IT delta × PUE) per unit of work: the power is divided
/// by the accelerator's dense BF16 TFLOPS, so a slow low-power chip does not look clean because it draws little per
/// hour while it needs more hours for the same work. Ratios between pools are what count (the combiner normalises).
/// </summary>
public abstract class FacilityEnergyScore : IPoolScore
{
    public abstract string Name { get; }
    public bool LowerIsBetter => true;

    protected abstract double PerKwh(in Core.State.SiteConditions conditions);

    public double Raw(ISchedulingView view, JobSpec job, int pool)
    {
        var p = view.Hub.Pools[pool];
        ref readonly var c = ref view.Conditions(p.Site);
        var throughput = p.Accelerator.Bf16Tflops > 0 ? p.Accelerator.Bf16Tflops : 1;
        return p.BusyDeltaWatts(job.GpuShare, job.PowerFraction) * c.Pue / 1000 * PerKwh(c) / throughput;
    }
}

/// <summary>Energy price: dollars for the job's facility energy per unit of work at this hour's tariff.</summary>
public sealed class EnergyPriceScore : FacilityEnergyScore
{
    public override string Name => "energy-price";
    protected override double PerKwh(in Core.State.SiteConditions conditions) => conditions.PriceUsdPerKwh;
}

/// <summary>Carbon: grams of CO2 of the job's facility energy per unit of work at this hour's grid intensity.</summary>
public sealed class CarbonScore : FacilityEnergyScore
{
    public override string Name => "carbon";
    protected override double PerKwh(in Core.State.SiteConditions conditions) => conditions.CarbonGPerKwh;
}

/// <summary>Data locality: seconds to bring the job's datasets from their home sites over the links.</summary>
public sealed class DataLocalityScore : IPoolScore
{
    public string Name => "data-locality";
    public bool LowerIsBetter => true;

    public double Raw(ISchedulingView view, JobSpec job, int pool)
    {
        var site = view.Hub.Pools[pool].Site;
        var seconds = 0.0;
        foreach (var d in job.Datasets)
        {
            var dataset = view.Hub.Datasets[d];
            seconds += view.Hub.TransferSeconds(dataset.HomeSite, site, dataset.SizeGb);
        }
        return double.IsFinite(seconds) ? seconds : 1e12;
    }
}
