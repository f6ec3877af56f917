using Serai.Core.Jobs;
using Serai.Core.State;
using Serai.Server.Persistence;

namespace Serai.Server.Control;

/// <summary>
/// What a stretch of a running job used: GPU-seconds, and facility energy (GPUs at their allowed power fraction of
/// TDP times the site's PUE now), its carbon at the site's intensity now, and its cost at the site's price now.
/// </summary>
public static class UsageMath
{
    public static UsageSegment Segment(HubState state, RunningJob job, long endUnix)
    {
        var hub = state.Hub;
        var pool = hub.Pools[job.Placement.Pool];
        var conditions = state.Conditions(pool.Site, endUnix);
        var seconds = Math.Max(0, endUnix - job.StartUnix);
        var gpus = job.Placement.Gpus;
        var itKwh = gpus * pool.Accelerator.TdpWatts * job.PowerFraction * seconds / 3.6e6;
        var kwh = itKwh * conditions.Pue;
        return new UsageSegment(
            job.Id.Value,
            hub.Tenants[job.Spec.Tenant].Name,
            hub.Sites[pool.Site].Name,
            pool.Accelerator.Model,
            job.StartUnix,
            endUnix,
            gpus,
            (double)gpus * seconds,
            kwh,
            kwh * conditions.CarbonGPerKwh / 1000.0,
            kwh * conditions.PriceUsdPerKwh);
    }
}
