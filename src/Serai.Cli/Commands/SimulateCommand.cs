using System.CommandLine;
using Serai.Cli.Commands.Simulate;
using Serai.Config.Samples;
using Serai.Scheduling.Plugins;
using Serai.Simulation.Hubs;
using Serai.Simulation.Scenarios;

namespace Serai.Cli.Commands;

/// <summary>`serai simulate`: replay a trace (or the bundled sample) through one or more policies and write a report.</summary>
public static class SimulateCommand
{
    public static Command Create()
    {
        var hub = new Option<string?>("--hub") { Description = $"Hub config (YAML file), a trace node list (CSV: sn,cpu_milli,memory_mib,gpu,model) or a built-in hub: {SampleHubs.BuiltInNames}; central-asia is hubs/central-asia.yaml scaled to GPUS (default {SampleRegion.DefaultGpus}) (default: itp sized for the trace, central-asia with --synthetic)" };
        var trace = new Option<string?>("--trace") { Description = "Trace files or folders, comma-separated (default: the bundled two-day ITP sample)" };
        var format = new Option<string>("--format") { Description = "Trace format: itp, philly (job list or cluster_job_log JSON), alibaba (2023 pods), helios (Helios and AcmeTrace job logs; also acme), pai (Alibaba PAI 2020)", DefaultValueFactory = _ => "itp" };
        var policy = new Option<string?>("--policy") { Description = "Main policy: fifo, priority-fairshare, serai, sjf, slurm, srtf, las, or a profile of the hub's scheduling: section (default: the one it picks, else serai)" };
        var score = new Option<string[]>("--score") { Description = $"Weight of a score plugin in the main policy, repeatable: NAME=WEIGHT ({PluginRegistry.BuiltIn.Allowed(ExtensionPoint.Score)}; 0 to 1000)" };
        var deferral = new Option<string?>("--deferral") { Description = "Deferral of the main policy: off, or on (the profile's settings, else the defaults); the policy is named after it (serai+deferral=off) so --compare can run the profile as it is" };
        var compare = new Option<string?>("--compare") { Description = "More policies to run on the same input, comma-separated" };
        var seed = new Option<int>("--seed") { Description = "Seed of every random draw (mapping, synthetic jobs, failures)", DefaultValueFactory = _ => 42 };
        var scenario = new Option<string[]>("--scenario") { Description = $"What-if events, repeatable: {ScenarioParser.Syntax}", AllowMultipleArgumentsPerToken = true };
        var output = new Option<string>("--out") { Description = "Output folder", DefaultValueFactory = _ => "out/simulate" };
        var mapping = new Option<string?>("--mapping") { Description = "Mapping file (JSON): tenants, accelerators, stacks, priority mix, shares" };
        var badRows = new Option<string>("--bad-rows") { Description = "skip (report and go on) or fail (stop at the first bad row)", DefaultValueFactory = _ => "skip" };
        var maxBad = new Option<double>("--max-bad-share") { Description = "With --bad-rows skip: the largest share of bad rows a run goes on with (0..1)", DefaultValueFactory = _ => 0.01 };
        var start = new Option<string?>("--start") { Description = "Simulated start date, UTC (default 2026-01-01, or 2026-07-01 with a heat wave)" };
        var synthetic = new Option<int>("--synthetic") { Description = "Replay N synthetic jobs of the hub's own tenants instead of a trace" };
        var load = new Option<double?>("--load") { Description = "With --synthetic: offered load, the share of the hub's GPU-seconds the jobs' work fills over the arrival span (0.05..1.5, default 0.75)" };
        var cycle = new Option<long>("--cycle-seconds") { Description = "Run the scheduler at most once per this many seconds (0: at every event time)" };
        var deferrable = new Option<double?>("--deferrable-share") { Description = "Share of trace jobs that may be deferred (overrides the mapping)" };
        var checkpointable = new Option<double?>("--checkpointable-share") { Description = "Share of trace jobs that checkpoint (overrides the mapping)" };
        var reference = new Option<string?>("--reference-gpu") { Description = "The GPU the trace's durations were measured on (e.g. V100M16): jobs run longer on slower accelerators by the ratio of BF16 TFLOPS, or the mapping's throughput (default: every GPU at trace speed)" };
        var quiet = new Option<bool>("--quiet") { Description = "No progress bar" };
        var command = new Command("simulate", "Replay a workload trace through the scheduler; compare policies; write summary.json, jobs.csv, sites.csv and report.html");
        foreach (var option in new Option[] { hub, trace, format, policy, score, deferral, compare, seed, scenario, output, mapping, badRows, maxBad, start, synthetic, load, cycle, deferrable, checkpointable, reference, quiet })
        {
            command.Options.Add(option);
        }
        command.SetAction(parse => SimulateRun.Execute(new SimulateArguments
        {
            Hub = parse.GetValue(hub),
            Trace = parse.GetValue(trace),
            Format = parse.GetValue(format)!,
            Policy = parse.GetValue(policy),
            Scores = parse.GetValue(score) ?? [],
            Deferral = parse.GetValue(deferral),
            Compare = parse.GetValue(compare),
            Seed = parse.GetValue(seed),
            Scenarios = parse.GetValue(scenario) ?? [],
            Out = parse.GetValue(output)!,
            Mapping = parse.GetValue(mapping),
            BadRows = parse.GetValue(badRows)!,
            MaxBadShare = parse.GetValue(maxBad),
            Start = parse.GetValue(start),
            Synthetic = parse.GetValue(synthetic),
            Load = parse.GetValue(load),
            CycleSeconds = parse.GetValue(cycle),
            DeferrableShare = parse.GetValue(deferrable),
            CheckpointableShare = parse.GetValue(checkpointable),
            Quiet = parse.GetValue(quiet),
            ReferenceGpu = parse.GetValue(reference),
            CommandLine = "serai " + string.Join(' ', parse.Tokens.Select(t => t.Value)),
        }));
        return command;
    }
}
