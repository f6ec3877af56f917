using Serai.Core.Model;
using Serai.Simulation.Engine;

namespace Serai.Simulation.Metrics;

/// <summary>Computes the summary of a finished run from the job table, the collector and the safety checker.</summary>
public static class SummaryBuilder
{
    public static SimulationSummary Build(Simulator sim, MetricsCollector m, SafetyChecker safety)
    {
        var hub = sim.Hub;
        var jobs = sim.Jobs;
        var specs = sim.Workload.Jobs;
        var jct = new List<double>();
        var queueing = new List<double>();
        var emergency = new List<double>();
        var deferrable = new List<double>();
        var tenantJobs = new int[hub.Tenants.Length];
        var tenantJct = new double[hub.Tenants.Length];
        var tenantDone = new int[hub.Tenants.Length];
        var tenantSlowdown = new double[hub.Tenants.Length];
        long firstSubmit = long.MaxValue, lastEnd = long.MinValue;
        var referenceGpuSeconds = 0.0;
        int completed = 0, rejected = 0, unfinished = 0;
        for (var i = 0; i < jobs.Count; i++)
        {
            var spec = specs[i];
            tenantJobs[spec.Tenant]++;
            firstSubmit = Math.Min(firstSubmit, spec.SubmitUnix);
            if (jobs.FirstStartUnix[i] >= 0)
            {
                queueing.Add(jobs.FirstStartUnix[i] - spec.SubmitUnix);
                if (spec.Priority == PriorityClass.Emergency)
                {
                    emergency.Add(jobs.FirstStartUnix[i] - spec.SubmitUnix);
                }
            }
            switch (sim.Status(i))
            {
                case JobStatus.Completed:
                    completed++;
                    var t = jobs.EndUnix[i] - spec.SubmitUnix;
                    jct.Add(t);
                    tenantJct[spec.Tenant] += t;
                    tenantDone[spec.Tenant]++;
                    tenantSlowdown[spec.Tenant] += t / (double)Math.Max(1, sim.Workload.DurationSeconds[i]);
                    lastEnd = Math.Max(lastEnd, jobs.EndUnix[i]);
                    referenceGpuSeconds += spec.GpuShare * sim.Workload.DurationSeconds[i];
                    if (spec.Deferrable)
                    {
                        deferrable.Add(t);
                    }
                    break;
                case JobStatus.Rejected:
                    rejected++;
                    break;
                default:
                    unfinished++;
                    break;
            }
        }
        var span = Math.Max(1, m.EndUnix - m.StartUnix);
        var itJ = m.ItJoules.Sum();
        var facilityJ = m.FacilityJoules.Sum();
        var sites = hub.Sites.Select(s =>
        {
            var gpus = s.PoolIndexes.Sum(p => hub.Pools[p].Gpus);
            var overGrid = m.Hours.Where(h => h.Site == s.Index && h.GridWatts > 0).Select(h => h.FacilityWattsMax / h.GridWatts).DefaultIfEmpty(0).Max();
            return new SiteFigures(s.Name, gpus, gpus > 0 ? m.BusyGpuSeconds[s.Index] / (gpus * (double)span) : 0,
                m.ItJoules[s.Index] / 3.6e9, m.FacilityJoules[s.Index] / 3.6e9,
                m.ItJoules[s.Index] > 0 ? m.FacilityJoules[s.Index] / m.ItJoules[s.Index] : 0,
                m.CarbonGrams[s.Index] / 1e6, m.CostUsd[s.Index], overGrid);
        }).ToArray();
        var totalGpuSeconds = m.TenantGpuSeconds.Sum();
        var tenants = hub.Tenants.Select(t =>
        {
            var share = totalGpuSeconds > 0 ? m.TenantGpuSeconds[t.Index] / totalGpuSeconds : 0;
            var entitlement = hub.TotalFairShareWeight > 0 ? t.FairShareWeight / hub.TotalFairShareWeight : 0;
            return new TenantFigures(t.Name, tenantJobs[t.Index], m.TenantGpuSeconds[t.Index] / 3600, share, entitlement,
                entitlement > 0 ? share / entitlement : 0, tenantDone[t.Index] > 0 ? tenantJct[t.Index] / tenantDone[t.Index] : 0);
        }).ToArray();
        var v = safety.Violations;
        var c = sim.Counters;
        return new SimulationSummary
        {
            Policy = sim.Policy.Name,
            Hub = hub.Name,
            HubGpus = hub.TotalGpus,
            Scenario = sim.Scenario.Name,
            Jobs = jobs.Count,
            Completed = completed,
            Rejected = rejected,
            Unfinished = unfinished,
            JctSeconds = Distribution.Of(jct),
            QueueingDelaySeconds = Distribution.Of(queueing),
            DeferrableMeanJctSeconds = deferrable.Count > 0 ? deferrable.Average() : 0,
            MakespanSeconds = lastEnd == long.MinValue ? 0 : lastEnd - firstSubmit,
            UtilisationHub = hub.TotalGpus > 0 ? m.BusyGpuSeconds.Sum() / (hub.TotalGpus * (double)span) : 0,
            UtilisationBusyWindow = hub.TotalGpus > 0 && m.WaitingSeconds > 0 ? m.WaitingBusyGpuSeconds / (hub.TotalGpus * m.WaitingSeconds) : 0,
            BusyWindowHours = m.WaitingSeconds / 3600,
            GpuHoursHeld = m.BusyGpuSeconds.Sum() / 3600,
            ReferenceGpuHoursDelivered = referenceGpuSeconds / 3600,
            JobCarbonKgPerReferenceGpuHour = referenceGpuSeconds > 0 ? jobs.CarbonGrams.Sum() / 1000 / (referenceGpuSeconds / 3600) : 0,
            HubCarbonKgPerReferenceGpuHour = referenceGpuSeconds > 0 ? m.CarbonGrams.Sum() / 1000 / (referenceGpuSeconds / 3600) : 0,
            ItEnergyMwh = itJ / 3.6e9,
            FacilityEnergyMwh = facilityJ / 3.6e9,
            MeanPue = itJ > 0 ? facilityJ / itJ : 0,
            CarbonTonnes = m.CarbonGrams.Sum() / 1e6,
            CostUsd = m.CostUsd.Sum(),
            JobEnergyMwh = jobs.ItJoules.Sum() / 3.6e9,
            JobCarbonTonnes = jobs.CarbonGrams.Sum() / 1e6,
            Sites = sites,
            Tenants = tenants,
            JainFairness = Jain(tenants.Where(t => t.Jobs > 0 && t.Entitlement > 0).Select(t => t.ShareOverEntitlement).ToArray()),
            JainSlowdownFairness = Jain(ServiceRates(tenantSlowdown, tenantDone)),
            Preemptions = c.Preemptions,
            Throttles = c.Throttles,
            Deferrals = c.Deferrals,
            FailureRequeues = c.FailureRequeues,
            LostWorkGpuHours = sim.LostWorkGpuSeconds / 3600.0,
            EmergencyStartLatencySeconds = Distribution.Of(emergency),
            Violations = new ViolationFigures(v.Capacity, v.PowerCap, v.Cooling, v.Grid, v.Residency, v.HighRisk, v.Stack, c.InvalidDecisions),
            ViolationMessages = safety.Messages,
            Engine = new EngineFigures(c.Events, c.Cycles, c.CyclesSkipped, c.Placements),
        };
    }

    /// <summary>Per tenant with finished jobs, 1 / its mean slowdown.</summary>
    public static double[] ServiceRates(double[] slowdownSums, int[] done) =>
        slowdownSums.Select((sum, t) => (sum, done[t])).Where(x => x.Item2 > 0 && x.sum > 0).Select(x => x.Item2 / x.sum).ToArray();

    /// <summary>Jain's index (Σx)² / (n·Σx²): 1 when every tenant gets the same share of its entitlement.</summary>
    public static double Jain(double[] x)
    {
        var sumSquares = x.Sum(v => v * v);
        return x.Length == 0 || sumSquares <= 0 ? 1 : x.Sum() * x.Sum() / (x.Length * sumSquares);
    }
}
