using System.Globalization;
using Serai.Core.Jobs;
using Serai.Core.Model;
using Serai.Scheduling;
using Serai.Scheduling.Filters;
using Serai.Server.Control;

namespace Serai.Server.Operations;

/// <summary>
/// Words for a waiting job that a person can act on: when it waits for room, the free GPUs it could otherwise use and
/// the rule that keeps each from it (site down, drained, data residency, accelerator, quota, IT power cap, grid,
/// cooling), with the figures. Computed from the published snapshot when someone asks, never in the cycle.
/// </summary>
public static class WaitExplainer
{
    private const int MostBlockers = 3;

    public static string Describe(HubModel hub, AiSystemRegistry aiSystems, HubSnapshot snapshot, OperatorView operations, JobSpec job, Decision decision)
    {
        var text = decision.Describe(hub, aiSystems);
        if (decision.Reason.Code is not (ReasonCode.NoCapacity or ReasonCode.GangTooLarge or ReasonCode.Reserved or ReasonCode.BlockedByReservation))
        {
            return text;
        }
        var blockers = Blockers(hub, snapshot, operations, job);
        return blockers.Count == 0 ? text : $"{text}; free GPUs it could otherwise use: {string.Join("; ", blockers.Take(MostBlockers))}";
    }

    /// <summary>Each site and model with enough free GPUs for the job, and the first rule that keeps them from it.</summary>
    public static List<string> Blockers(HubModel hub, HubSnapshot snapshot, OperatorView operations, JobSpec job)
    {
        var blockers = new List<string>();
        var allowed = ResidencyFilter.AllowedCountries(hub, job);
        for (var s = 0; s < hub.Sites.Length && s < snapshot.Sites.Count; s++)
        {
            var site = hub.Sites[s];
            var now = snapshot.Sites[s];
            foreach (var model in site.PoolIndexes.Select(p => hub.Pools[p]).GroupBy(p => p.Accelerator.Index))
            {
                var pool = model.First();
                var accelerator = pool.Accelerator;
                var free = now.Gpus.FirstOrDefault(g => g.Model == accelerator.Model)?.Free ?? 0;
                if (free < job.Gpus)
                {
                    continue;
                }
                if (Rule(hub, snapshot, operations, job, allowed, s, model.ToList()) is { } rule)
                {
                    blockers.Add(string.Create(CultureInfo.InvariantCulture, $"{free} {accelerator.Model} at {site.Name}, kept from it by {rule}"));
                }
            }
        }
        return blockers;
    }

    private static string? Rule(HubModel hub, HubSnapshot snapshot, OperatorView operations, JobSpec job, ulong allowed, int s, List<NodePool> pools)
    {
        var site = hub.Sites[s];
        var now = snapshot.Sites[s];
        var pool = pools[0];
        var accelerator = pool.Accelerator;
        if (now.Down)
        {
            return $"the site being down";
        }
        if (pools.All(p => Closed(hub, operations, p)))
        {
            return "an operator's drain or vendor cut-off (no new work there)";
        }
        if ((allowed & site.CountryMask) == 0)
        {
            return allowed == 0
                ? "data residency: no country is allowed both by the tenant and by the job's datasets"
                : $"data residency: the job's data may be processed only in {hub.CountryNames(allowed)}, and {site.Name} is in {site.Country}";
        }
        if (job.Accelerator >= 0 && job.Accelerator != accelerator.Index
            || (job.StackMask & (1u << accelerator.StackBit)) == 0 || job.MinGpuMemoryGb > accelerator.MemoryGb)
        {
            return $"its accelerator: the job needs {(job.Accelerator >= 0 ? hub.Accelerators[job.Accelerator].Model : hub.StackNames(job.StackMask))}"
                + (job.MinGpuMemoryGb > 0 ? string.Create(CultureInfo.InvariantCulture, $" with at least {job.MinGpuMemoryGb:0} GB") : "");
        }
        if (Quota(hub, snapshot, job, accelerator) is { } quota)
        {
            return quota;
        }
        var delta = pool.BusyDeltaWatts(job.Gpus, job.PowerFraction);
        if (now.ItWatts + delta > now.ItCapWatts)
        {
            return $"the IT power cap: {Power(now.ItCapWatts - now.ItWatts)} left under {Power(now.ItCapWatts)}, the job needs {Power(delta)}";
        }
        if ((now.ItWatts + delta) * now.Pue > now.GridWatts)
        {
            return string.Create(CultureInfo.InvariantCulture,
                $"the grid connection: {Power(now.GridWatts - now.FacilityWatts)} of facility power left under {Power(now.GridWatts)} at PUE {now.Pue:0.00} ({now.OutdoorTemperatureC:0.#} °C), the job needs {Power(delta * now.Pue)}");
        }
        if (now.ItWatts + delta > now.ItLimitWatts)
        {
            return string.Create(CultureInfo.InvariantCulture,
                $"cooling: {Power(now.ItLimitWatts - now.ItWatts)} of heat removal left at {now.OutdoorTemperatureC:0.#} °C, the job needs {Power(delta)}");
        }
        return null;
    }

    private static string? Quota(HubModel hub, HubSnapshot snapshot, JobSpec job, Accelerator accelerator)
    {
        if (job.Priority == PriorityClass.Emergency || job.Tenant >= snapshot.Tenants.Count)
        {
            return null;
        }
        var tenant = hub.Tenants[job.Tenant];
        var now = snapshot.Tenants[job.Tenant];
        var allocated = now.ByModel.FirstOrDefault(m => m.Model == accelerator.Model)?.AllocatedGpus ?? 0;
        var guaranteed = tenant.GuaranteedGpus[accelerator.Index];
        var borrowedAfter = now.BorrowedGpus - Math.Max(0, allocated - guaranteed) + Math.Max(0, allocated + job.Gpus - guaranteed);
        return borrowedAfter <= tenant.BorrowLimitGpus
            ? null
            : $"quota: tenant {tenant.Name} would borrow {borrowedAfter} GPUs beyond its guarantees ({now.BorrowedGpus} now); its borrowing limit is {tenant.BorrowLimitGpus}";
    }

    private static bool Closed(HubModel hub, OperatorView operations, NodePool pool)
    {
        var site = hub.Sites[pool.Site].Name;
        return operations.Drained.Any(d => d.Target == $"site:{site}" || d.Target == $"pool:{pool.QualifiedName(hub)}")
            || operations.VendorsCut.Any(v => string.Equals(v.Target, $"vendor:{pool.Accelerator.Vendor}", StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>Watts as a person reads them: MW above one megawatt, else kW.</summary>
    public static string Power(double watts) => Math.Abs(watts) >= 1e6
        ? string.Create(CultureInfo.InvariantCulture, $"{watts / 1e6:0.###} MW")
        : string.Create(CultureInfo.InvariantCulture, $"{watts / 1e3:0.#} kW");
}
