using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text.Json;
using Serai.Scheduling;
using Serai.Scheduling.Incremental;
using Serai.Scheduling.Profiles;
using Serai.Simulation.Engine;
using Serai.Simulation.Hubs;
using Serai.Simulation.Running;
using Serai.Simulation.Traces;
using Serai.Simulation.Workloads;

namespace Serai.Cli.Commands;

/// <summary>
/// `serai bench simulator`: the full ITP trace on a hub sized for 60–90 % load, and a million synthetic jobs on
/// 100,000 GPUs; wall seconds and memory per job.
/// </summary>
public static class BenchSimulatorCommand
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    public static Command Create()
    {
        var json = new Option<bool>("--json") { Description = "Print one JSON object" };
        var trace = new Option<string?>("--trace") { Description = "Folder of the ITP cluster files (default: ../shared/data/traces/itp found upwards from here)" };
        var itpGpus = new Option<int>("--itp-gpus") { Description = "GPUs of the ITP hub", DefaultValueFactory = _ => ItpBenchGpus };
        var jobs = new Option<int>("--jobs") { Description = "Synthetic jobs", DefaultValueFactory = _ => 1_000_000 };
        var gpus = new Option<int>("--gpus") { Description = "GPUs of the synthetic hub", DefaultValueFactory = _ => 100_000 };
        var policy = new Option<string>("--policy") { Description = "Policy to run", DefaultValueFactory = _ => "serai" };
        var cycle = new Option<long>("--cycle-seconds") { Description = "Scheduler cycle interval (0: at every event time)" };
        var only = new Option<string?>("--only") { Description = "itp, deep or synthetic: run one part only" };
        var deepGpus = new Option<int>("--deep-gpus") { Description = "GPUs of the deep-queue hub (the ITP trace on a third of its hub)", DefaultValueFactory = _ => ItpBenchGpus / 3 };
        var fullCycles = new Option<bool>("--full-cycles") { Description = "Run every cycle over the whole queue (the scheduler before incremental cycles), to compare" };
        var command = new Command("simulator", "Time the simulator on the full ITP trace, on the ITP trace with a deep queue, and on 1,000,000 synthetic jobs on 100,000 GPUs");
        foreach (var option in new Option[] { json, trace, itpGpus, deepGpus, jobs, gpus, policy, cycle, only, fullCycles })
        {
            command.Options.Add(option);
        }
        command.SetAction(parse =>
        {
            var profile = BuiltInProfiles.ByName(parse.GetValue(policy)!);
            if (profile is null)
            {
                Console.Error.WriteLine($"--policy '{parse.GetValue(policy)}': allowed {BuiltInProfiles.Names}");
                return 1;
            }
            var options = new SimulationOptions { CycleIntervalSeconds = parse.GetValue(cycle), IncrementalScheduling = !parse.GetValue(fullCycles) };
            var part = parse.GetValue(only);
            if (part is not (null or "itp" or "deep" or "synthetic"))
            {
                Console.Error.WriteLine($"--only '{part}': allowed itp, deep, synthetic");
                return 1;
            }
            var result = new Dictionary<string, object>
            {
                ["machine"] = Machine(), ["policy"] = profile.Name, ["cycleSeconds"] = options.CycleIntervalSeconds,
                ["cycles"] = options.IncrementalScheduling ? "incremental" : "full",
            };
            if (part is null or "itp" or "deep")
            {
                var folder = parse.GetValue(trace) ?? FindItp();
                if (folder is null || !Directory.Exists(folder))
                {
                    Console.Error.WriteLine("ITP traces not found: pass --trace FOLDER");
                    return 1;
                }
                if (part is null or "itp")
                {
                    result["itp"] = Itp(folder, parse.GetValue(itpGpus), profile, options);
                }
                if (part is null or "deep")
                {
                    result["deep"] = Itp(folder, parse.GetValue(deepGpus), profile, options);
                }
            }
            if (part is null or "synthetic")
            {
                result["synthetic"] = Synthetic(parse.GetValue(jobs), parse.GetValue(gpus), profile, options);
            }
            Console.Out.WriteLine(parse.GetValue(json) ? JsonSerializer.Serialize(result, Json) : Text(result));
            return 0;
        });
        return command;
    }

    /// <summary>1,216 GPUs: the ITP trace's mean demand (1,137 busy GPUs) is 93 % of it; measured utilisation is about 88 %.</summary>
    public const int ItpBenchGpus = 1216;

    private static Dictionary<string, object> Itp(string folder, int gpus, SchedulerProfile profile, SimulationOptions options)
    {
        var hub = SampleHubs.Itp(gpus);
        var watch = Stopwatch.StartNew();
        var (workload, report, _) = WorkloadLoader.FromTraces(hub, [folder], TraceFormat.Itp, new TraceMapping { DeferrableShare = 0 }, BadRowPolicy.Skip, options.StartUnix);
        var readSeconds = watch.Elapsed.TotalSeconds;
        var scheduler = Policy(profile, options);
        var run = SimulationRunner.Run(hub, workload, scheduler, options);
        var wall = watch.Elapsed.TotalSeconds;
        var hours = run.Metrics.HubHours;
        var result = new Dictionary<string, object>
        {
            ["jobs"] = workload.Count, ["badRows"] = report.BadRowCount, ["hubGpus"] = hub.TotalGpus, ["readSeconds"] = Round(readSeconds),
            ["wallSeconds"] = Round(wall), ["cycles"] = run.Summary.Engine.Cycles, ["meanJctHours"] = Round(run.Summary.JctSeconds.Mean / 3600),
            ["utilisation"] = Round(run.Summary.UtilisationHub), ["violations"] = run.Summary.Violations.Total,
            ["queueDepthMean"] = Round(hours.Count == 0 ? 0 : hours.Average(h => h.Pending)), ["queueDepthMax"] = hours.Count == 0 ? 0 : hours.Max(h => h.Pending),
            ["hoursWith5000Waiting"] = Round(hours.Count == 0 ? 0 : hours.Count(h => h.Pending >= 5000) / (double)hours.Count),
        };
        AddProfile(result, scheduler);
        return result;
    }

    private static Scheduler Policy(SchedulerProfile profile, SimulationOptions options) =>
        new(profile) { ExplainWaits = false, Incremental = options.IncrementalScheduling, IncrementalFromQueue = options.IncrementalFromQueue, ProfileTime = TimeProvider.System };

    /// <summary>Where the scheduler's time went (incremental cycles only): seconds per phase, cycles that fell back, jobs looked at.</summary>
    private static void AddProfile(Dictionary<string, object> result, Scheduler scheduler)
    {
        var c = scheduler.IncrementalCounters;
        if (c.Incremental + c.Full == 0)
        {
            return;
        }
        result["incrementalCycles"] = c.Incremental;
        result["fullCycles"] = c.Full;
        result["releasesFollowed"] = c.Releases;
        result["jobsLookedAtPerCycle"] = Round(c.JobsLookedAt / (double)Math.Max(1, c.Incremental));
        result["jobsQueuedPerCycle"] = Round(c.JobsQueued / (double)Math.Max(1, c.Incremental));
        result["shapesWokenPerCycle"] = Round(c.ShapesWoken / (double)Math.Max(1, c.Incremental));
        result["incrementalSeconds"] = string.Join(", ", Enum.GetValues<IncrementalPhase>().Select(p => string.Create(CultureInfo.InvariantCulture, $"{p} {c.Seconds(p):F2}")));
        result["fullCyclesBecause"] = string.Join(", ", Enum.GetValues<FallbackCause>().Select(f => string.Create(CultureInfo.InvariantCulture, $"{f} {c.FallbacksFor(f)}")));
    }

    private static Dictionary<string, object> Synthetic(int jobs, int gpus, SchedulerProfile profile, SimulationOptions options)
    {
        var hub = SampleHubs.CentralAsiaUnbounded(gpus);
        var before = GC.GetTotalMemory(forceFullCollection: true);
        var watch = Stopwatch.StartNew();
        var workload = SyntheticWorkload.Generate(hub, new SyntheticOptions(jobs, 42, options.StartUnix));
        var generateSeconds = watch.Elapsed.TotalSeconds;
        var scheduler = Policy(profile, options);
        var run = SimulationRunner.Run(hub, workload, scheduler, options);
        var wall = watch.Elapsed.TotalSeconds;
        var retained = GC.GetTotalMemory(forceFullCollection: true) - before;
        var peak = Process.GetCurrentProcess().PeakWorkingSet64;
        GC.KeepAlive(run);
        var result = new Dictionary<string, object>
        {
            ["jobs"] = jobs, ["hubGpus"] = hub.TotalGpus, ["generateSeconds"] = Round(generateSeconds), ["wallSeconds"] = Round(wall),
            ["cycles"] = run.Summary.Engine.Cycles, ["completed"] = run.Summary.Completed, ["rejected"] = run.Summary.Rejected,
            ["unfinished"] = run.Summary.Unfinished, ["emergencyStartP99Seconds"] = run.Summary.EmergencyStartLatencySeconds.P99,
            ["emergencyStartMaxSeconds"] = run.Summary.EmergencyStartLatencySeconds.Max, ["simulatedDays"] = Round(run.Summary.MakespanSeconds / 86400.0),
            ["managedBytesPerJob"] = retained / Math.Max(1, jobs), ["peakWorkingSetBytesPerJob"] = peak / Math.Max(1, jobs),
            ["violations"] = run.Summary.Violations.Total,
        };
        AddProfile(result, scheduler);
        return result;
    }

    private static string? FindItp()
    {
        for (var dir = Directory.GetCurrentDirectory(); dir is not null; dir = Path.GetDirectoryName(dir))
        {
            var candidate = Path.Combine(dir, "shared", "data", "traces", "itp");
            if (Directory.Exists(candidate))
            {
                return candidate;
            }
        }
        return null;
    }

    private static Dictionary<string, object> Machine()
    {
        var model = File.Exists("/proc/cpuinfo")
            ? File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim()
            : null;
        return new Dictionary<string, object>
        {
            ["cpu"] = model ?? RuntimeInformation.ProcessArchitecture.ToString(), ["cores"] = Environment.ProcessorCount,
            ["os"] = RuntimeInformation.OSDescription, ["runtime"] = RuntimeInformation.FrameworkDescription,
            ["memoryGb"] = Round(GC.GetGCMemoryInfo().TotalAvailableMemoryBytes / 1e9),
        };
    }

    private static string Text(Dictionary<string, object> result) => string.Join(Environment.NewLine, result.Select(kv =>
        kv.Value is Dictionary<string, object> inner
            ? $"{kv.Key}: " + string.Join(", ", inner.Select(i => $"{i.Key} {Convert.ToString(i.Value, CultureInfo.InvariantCulture)}"))
            : $"{kv.Key}: {Convert.ToString(kv.Value, CultureInfo.InvariantCulture)}"));

    private static double Round(double value) => Math.Round(value, 3);
}
