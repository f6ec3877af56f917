using Serai.Core.Model;
using Serai.Scheduling.Profiles;
using Serai.Scheduling;
using Serai.Simulation.Engine;
using Serai.Simulation.Metrics;
using Serai.Simulation.Scenarios;
using Serai.Simulation.Workloads;

namespace Serai.Simulation.Running;

/// <summary>Runs a workload through one policy with the standard observers; adds scenario reports that need a baseline run.</summary>
public static class SimulationRunner
{
    public static RunResult Run(HubModel hub, Workload workload, ISchedulingPolicy policy, SimulationOptions options, Scenario? scenario = null, Action<double>? progress = null)
    {
        var metrics = new MetricsCollector();
        var safety = new SafetyChecker();
        var sim = new Simulator(hub, workload, policy, options, scenario, [metrics, safety]);
        sim.Run(progress);
        return new RunResult(sim, metrics, safety, SummaryBuilder.Build(sim, metrics, safety));
    }

    public static RunResult Run(HubModel hub, Workload workload, SchedulerProfile profile, SimulationOptions options, Scenario? scenario = null, Action<double>? progress = null) =>
        Run(hub, workload, new Scheduler(profile) { ExplainWaits = false, Incremental = options.IncrementalScheduling, IncrementalFromQueue = options.IncrementalFromQueue }, options, scenario, progress);

    /// <summary>
    /// Runs the scenario and, when it has a heat wave or a vendor cut-off, the same run without it, and fills the
    /// scenario's figures from the difference. <paramref name="progress"/> sees both runs as one.
    /// </summary>
    public static RunResult RunWithScenario(HubModel hub, Workload workload, SchedulerProfile profile, SimulationOptions options, Scenario scenario, Action<double>? progress = null)
    {
        var needsBaseline = scenario.HeatWaves.Count > 0 || scenario.VendorCutoffs.Count > 0;
        if (!needsBaseline)
        {
            return Run(hub, workload, profile, options, scenario, progress);
        }
        var baseline = Run(hub, workload, profile, options, Scenario.None, p => progress?.Invoke(p / 2));
        var run = Run(hub, workload, profile, options, scenario, p => progress?.Invoke(0.5 + p / 2));
        var summary = run.Summary;
        if (scenario.HeatWaves.Count > 0)
        {
            summary = summary with { HeatWave = ScenarioReports.HeatWave(run, baseline, scenario.HeatWaves[0]) };
        }
        if (scenario.VendorCutoffs.Count > 0)
        {
            summary = summary with { VendorCutoff = ScenarioReports.VendorCutoff(run, baseline, scenario.VendorCutoffs[0]) };
        }
        return run with { Summary = summary };
    }
}
