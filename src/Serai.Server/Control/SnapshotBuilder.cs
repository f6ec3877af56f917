using Serai.Core.Jobs;
using Serai.Core.State;

namespace Serai.Server.Control;

/// <summary>Builds the published <see cref="HubSnapshot"/> from the loop's state.</summary>
public static class SnapshotBuilder
{
    public static HubSnapshot Build(HubState state, IEnumerable<PendingJob> pending, long nowUnix, LoopCounters counters)
    {
        var hub = state.Hub;
        var sites = new List<SiteNow>(hub.Sites.Length);
        foreach (var site in hub.Sites)
        {
            var c = state.Conditions(site.Index, nowUnix);
            var gpus = site.PoolIndexes
                .GroupBy(p => hub.Pools[p].Accelerator.Index)
                .Select(g =>
                {
                    var accelerator = hub.Accelerators[g.Key];
                    var total = g.Sum(p => hub.Pools[p].Gpus);
                    var free = g.Sum(p => state.Pools[p].FreeGpus);
                    return new GpuModelNow(accelerator.Model, accelerator.Vendor, total, total - free, free);
                })
                .ToList();
            sites.Add(new SiteNow(site.Name, site.Country, c.TemperatureC, c.Pue, c.CarbonGPerKwh, c.PriceUsdPerKwh,
                c.ItWatts, c.ItCapWatts, c.ItLimitWatts, c.GridWatts, c.FacilityWatts, c.Down, gpus));
        }
        var pendingByTenant = new int[hub.Tenants.Length];
        foreach (var job in pending)
        {
            pendingByTenant[job.Spec.Tenant]++;
        }
        var runningByTenant = new int[hub.Tenants.Length];
        foreach (var job in state.Running.Values)
        {
            runningByTenant[job.Spec.Tenant]++;
        }
        var tenants = hub.Tenants.Select(t => new TenantNow(
            t.Name, t.TotalGuaranteedGpus, t.BorrowLimitGpus, state.AllocatedTotal(t.Index), state.Borrowed(t.Index),
            t.FairShareWeight, hub.EntitlementGpus(t.Index), state.FairShare(t.Index), state.DecayedGpuSeconds(t.Index) / 3600.0,
            pendingByTenant[t.Index], runningByTenant[t.Index],
            hub.Accelerators
                .Where(a => t.GuaranteedGpus[a.Index] > 0 || state.Allocated(t.Index, a.Index) > 0)
                .Select(a => new TenantModelUse(a.Model, t.GuaranteedGpus[a.Index], state.Allocated(t.Index, a.Index)))
                .ToList())).ToList();
        return new HubSnapshot(nowUnix, sites, tenants, pendingByTenant.Sum(), state.Running.Count, counters)
        {
            RunningUsage = state.Running.Values.Select(job => UsageMath.Segment(state, job, nowUnix)).ToList(),
        };
    }
}
