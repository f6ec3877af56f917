using Serai.Simulation.Engine;
using Serai.Simulation.Metrics;
using Serai.Simulation.Scenarios;

namespace Serai.Simulation.Running;

/// <summary>Figures of heat-wave and vendor cut-off scenarios, against the same run without the scenario.</summary>
public static class ScenarioReports
{
    public static HeatWaveFigures HeatWave(RunResult run, RunResult baseline, HeatWave wave)
    {
        var hub = run.Simulator.Hub;
        double Share(RunResult r)
        {
            var rows = r.Metrics.Hours.Where(h => h.HourUnix >= wave.FromUnix && h.HourUnix < wave.ToUnix).ToArray();
            var all = rows.Sum(h => h.BusyGpuSeconds);
            return all > 0 ? rows.Where(h => h.Site == wave.Site).Sum(h => h.BusyGpuSeconds) / all : 0;
        }
        var maxOverGrid = run.Metrics.Hours.Where(h => h.Site == wave.Site && h.GridWatts > 0).Select(h => h.FacilityWattsMax / h.GridWatts).DefaultIfEmpty(0).Max();
        return new HeatWaveFigures(hub.Sites[wave.Site].Name, wave.FromUnix, wave.ToUnix, wave.OffsetC, Share(run), Share(baseline), maxOverGrid,
            run.Simulator.Counters.Throttles, run.Simulator.Counters.Preemptions);
    }

    public static VendorCutoffFigures VendorCutoff(RunResult run, RunResult baseline, VendorCutoff cut)
    {
        var sim = run.Simulator;
        var hub = sim.Hub;
        uint otherStacks = 0;
        foreach (var a in hub.Accelerators.Where(a => !string.Equals(a.Vendor, cut.Vendor, StringComparison.OrdinalIgnoreCase)))
        {
            otherStacks |= 1u << a.StackBit;
        }
        var stranded = new SortedDictionary<string, int>(StringComparer.Ordinal);
        var count = 0;
        for (var i = 0; i < sim.Jobs.Count; i++)
        {
            var spec = sim.Workload.Jobs[i];
            var affected = spec.SubmitUnix >= cut.AtUnix || baseline.Simulator.Jobs.EndUnix[i] > cut.AtUnix;
            if (affected && (spec.StackMask & otherStacks) == 0)
            {
                var name = hub.Tenants[spec.Tenant].Name;
                stranded[name] = stranded.GetValueOrDefault(name) + 1;
                count++;
            }
        }
        double jctAdded = 0, queueAdded = 0;
        var both = 0;
        for (var i = 0; i < sim.Jobs.Count; i++)
        {
            if (sim.Status(i) == JobStatus.Completed && baseline.Simulator.Status(i) == JobStatus.Completed)
            {
                var submit = sim.Workload.Jobs[i].SubmitUnix;
                jctAdded += sim.Jobs.EndUnix[i] - baseline.Simulator.Jobs.EndUnix[i];
                queueAdded += (sim.Jobs.FirstStartUnix[i] - submit) - (baseline.Simulator.Jobs.FirstStartUnix[i] - submit);
                both++;
            }
        }
        var lost = hub.Pools.Where(p => string.Equals(p.Accelerator.Vendor, cut.Vendor, StringComparison.OrdinalIgnoreCase)).Sum(p => p.Gpus);
        return new VendorCutoffFigures(cut.Vendor, cut.AtUnix, cut.Disappear, lost, hub.TotalGpus > 0 ? (double)lost / hub.TotalGpus : 0,
            stranded, count, both > 0 ? jctAdded / both : 0, both > 0 ? queueAdded / both : 0,
            run.Summary.Unfinished + run.Summary.Rejected - baseline.Summary.Unfinished - baseline.Summary.Rejected);
    }
}
