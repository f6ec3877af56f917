using Serai.Simulation.Engine;
using Serai.Simulation.Metrics;

namespace Serai.Simulation.Running;

/// <summary>A finished run: the simulator (job table, state), what the observers gathered, and the summary.</summary>
public sealed record RunResult(Simulator Simulator, MetricsCollector Metrics, SafetyChecker Safety, SimulationSummary Summary);
