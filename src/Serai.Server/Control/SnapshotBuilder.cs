using Serai.Runtime;
using Serai.Runtime.Accounting;
using Serai.Server.Persistence;

namespace Serai.Server.Control;

/// <summary>Builds the published <see cref="HubSnapshot"/> from the runtime (on the loop's thread).</summary>
public static class SnapshotBuilder
{
    public static HubSnapshot Build(HubRuntime runtime, long nowUnix)
    {
        var state = runtime.State;
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
                    var outside = g.Sum(p => state.Pools[p].HeldOutsideTotal);
                    return new GpuModelNow(accelerator.Model, accelerator.Vendor, total, total - free, free, outside);
                })
                .ToList();
            sites.Add(new SiteNow(site.Name, site.Country, c.TemperatureC, c.Pue, c.CarbonGPerKwh, c.PriceUsdPerKwh,
                c.ItWatts, c.ItCapWatts, c.ItLimitWatts, c.GridWatts, c.FacilityWatts, c.ClosedToNewWork, gpus) { Unreachable = c.Unreachable });
        }
        var pendingByTenant = hub.Tenants.Select(t => runtime.PendingOf(t.Index)).ToArray();
        var jobs = runtime.Jobs;
        var runningByTenant = new int[hub.Tenants.Length];
        var running = new List<UsageSegment>();
        var parts = new List<UsageStretch>();
        foreach (var job in state.Running.Values)
        {
            runningByTenant[job.Spec.Tenant]++;
            if (jobs.TryGetSlot(job.Id, out var slot))
            {
                parts.Clear();
                runtime.Usage.Peek(slot, job, nowUnix, parts);
                running.AddRange(parts.Select(p => DatabaseJournal.Segment(hub, p)));
            }
        }
        var tenants = hub.Tenants.Select(t => new TenantNow(
            t.Name, t.TotalGuaranteedGpus, t.BorrowLimitGpus, state.AllocatedTotal(t.Index), state.Borrowed(t.Index),
            t.FairShareWeight, hub.EntitlementGpus(t.Index), state.FairShare(t.Index), state.DecayedGpuSeconds(t.Index) / 3600.0,
            pendingByTenant[t.Index], runningByTenant[t.Index],
            hub.Accelerators
                .Where(a => t.GuaranteedGpus[a.Index] > 0 || state.Allocated(t.Index, a.Index) > 0)
                .Select(a => new TenantModelUse(a.Model, t.GuaranteedGpus[a.Index], state.Allocated(t.Index, a.Index)))
                .ToList())).ToList();
        var c2 = runtime.Counters;
        var counters = new LoopCounters(c2.Cycles, c2.CycleSecondsSum, c2.LastCycleSeconds, c2.Placements, c2.Preemptions, c2.Rejections,
            c2.Throttles, c2.Deferrals, c2.Completions, c2.DispatchFailures);
        return new HubSnapshot(nowUnix, sites, tenants, pendingByTenant.Sum(), state.Running.Count, counters)
        {
            RunningUsage = running,
        };
    }
}
