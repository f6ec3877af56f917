using System.Globalization;
using Serai.Config;
using Serai.Core.Model;
using Serai.Scheduling.Plugins;
using Serai.Scheduling.Profiles;
using Serai.Simulation.Engine;
using Serai.Simulation.Hubs;
using Serai.Simulation.Running;
using Serai.Simulation.Scenarios;
using Serai.Simulation.Traces;
using Serai.Simulation.Workloads;

namespace Serai.Cli.Commands.Simulate;

/// <summary>Everything a simulate run needs, resolved and validated from the flags; bad input throws <see cref="SimulateInputException"/>.</summary>
public sealed record SimulationPlan(
    HubModel Hub,
    Workload Workload,
    IReadOnlyList<SchedulerProfile> Profiles,
    SimulationOptions Options,
    Scenario Scenario,
    IReadOnlyList<string> Traces,
    IReadOnlyList<string> Notes,
    TraceReadReport? TraceReport)
{
    /// <summary>2026-07-01T00:00Z: heat waves want July.</summary>
    public const long JulyStartUnix = 1_782_864_000;

    /// <summary>The hub the bundled two-day sample runs on when no --hub is given.</summary>
    public const string SampleHubName = "itp:512";

    public static SimulationPlan Build(SimulateArguments a)
    {
        var heatwave = a.Scenarios.Any(s => s.StartsWith("heatwave", StringComparison.OrdinalIgnoreCase));
        var start = a.Start is null ? (heatwave ? JulyStartUnix : SimulationOptions.DefaultStartUnix) : ParseStart(a.Start);
        var hubText = a.Hub ?? (a.Synthetic > 0 ? "central-asia" : a.Trace is null ? SampleHubName : "itp");
        var nodeList = hubText.EndsWith(".csv", StringComparison.OrdinalIgnoreCase);
        var (hub, scheduling, classes) = nodeList ? (null!, SchedulingConfig.Default, []) : LoadHub(hubText);
        var profiles = new[] { a.Policy ?? scheduling.Profile.Name }.Concat((a.Compare ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            .Select(name => scheduling.ByName(name) ?? throw new SimulateInputException($"--policy/--compare: '{name}' is not a policy; allowed: {scheduling.Names}"))
            .ToArray();
        profiles[0] = WithDeferral(WithScores(profiles[0], a.Scores), a.Deferral);
        profiles = [.. profiles.DistinctBy(p => p.Name)];
        var notes = new List<string>();
        var traces = new List<string>();
        Workload workload;
        TraceReadReport? report = null;
        var throughput = new Dictionary<string, double>();
        if (a.Synthetic > 0)
        {
            if (nodeList)
            {
                throw new SimulateInputException($"--hub {hubText}: a node list goes with a trace, not with --synthetic");
            }
            var synthetic = new SyntheticOptions(a.Synthetic, a.Seed, start);
            if (a.Load is { } load)
            {
                if (!double.IsFinite(load) || load is < 0.05 or > 1.5)
                {
                    throw new SimulateInputException($"--load {load.ToString(CultureInfo.InvariantCulture)}: allowed a number from 0.05 to 1.5 (share of the hub's GPU-seconds)");
                }
                synthetic = synthetic with { TargetLoad = load };
            }
            workload = SyntheticWorkload.Generate(hub, synthetic);
            notes.Add(string.Create(CultureInfo.InvariantCulture, $"{a.Synthetic:N0} synthetic jobs of the hub's own tenants, seed {a.Seed}, offered load {synthetic.TargetLoad:0.##}"));
        }
        else
        {
            if (a.Load is not null)
            {
                throw new SimulateInputException("--load goes with --synthetic: a trace's arrivals set its own load (use a smaller or larger --hub)");
            }
            var paths = a.Trace is null
                ? [WorkloadLoader.ExtractSample(Path.Combine(a.Out, "input", "itp-sample"))]
                : a.Trace.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            if (a.Trace is null)
            {
                notes.Add("bundled sample: two days of the ten Microsoft ITP clusters (MIT licence)");
            }
            var format = Parse(() => TraceReader.ParseFormat(a.Format));
            var policy = a.BadRows.ToLowerInvariant() switch
            {
                "skip" => BadRowPolicy.Skip,
                "fail" => BadRowPolicy.Fail,
                _ => throw new SimulateInputException($"--bad-rows '{a.BadRows}': allowed skip, fail"),
            };
            if (a.MaxBadShare is < 0 or > 1 || double.IsNaN(a.MaxBadShare))
            {
                throw new SimulateInputException($"--max-bad-share {a.MaxBadShare.ToString(CultureInfo.InvariantCulture)}: allowed 0 to 1");
            }
            var mapping = (a.Mapping is null ? new TraceMapping() : Parse(() => TraceMapping.Load(a.Mapping))) with { Seed = a.Seed };
            mapping = mapping with
            {
                DeferrableShare = a.DeferrableShare ?? mapping.DeferrableShare,
                CheckpointableShare = a.CheckpointableShare ?? mapping.CheckpointableShare,
            };
            mapping = Parse(() => mapping.Validated("flags"));
            throughput = mapping.Throughput;
            traces.AddRange(WorkloadLoader.ExpandPaths(paths));
            var (trace, read) = Parse(() => WorkloadLoader.Read(paths, format, policy));
            report = read;
            if (read.Unusable(a.MaxBadShare) is { } unusable)
            {
                throw new SimulateInputException(unusable);
            }
            if (nodeList)
            {
                hub = Parse(() => HubFromNodeList(hubText, trace, mapping, policy, notes));
            }
            var mapped = Parse(() => WorkloadLoader.Map(hub, trace, mapping, start));
            workload = mapped.Workload;
            notes.AddRange(mapped.Notes);
        }
        var speed = a.ReferenceGpu is null ? SpeedModel.Off : Parse(() => SpeedModel.RelativeTo(a.ReferenceGpu, throughput)).WithClasses(classes);
        if (speed.ReferenceModel is { } referenceModel)
        {
            var relative = hub.Accelerators.Select(x => string.Create(CultureInfo.InvariantCulture, $"{x.Model} {speed.Relative(x):0.###}"));
            notes.Add($"speed model: durations are on {referenceModel}; relative speed {string.Join(", ", relative)} (energy = power × the time a job really runs)");
            foreach (var c in classes)
            {
                var figures = c.Throughput.Select(f => string.Create(CultureInfo.InvariantCulture, $"{f.Key} {f.Value:0.###}"));
                notes.Add($"speed model: workload class {c.Name} ({string.Join(", ", c.Tenants.Select(t => hub.Tenants[t].Name))}): {string.Join(", ", figures)}");
            }
        }
        else
        {
            notes.Add("speed model off: a job runs as long on every accelerator as the trace says (--reference-gpu turns it on)"
                + (classes.Count > 0 ? "; the hub file's workload classes are not used" : ""));
        }
        var options = new SimulationOptions { StartUnix = start, CycleIntervalSeconds = Math.Max(0, a.CycleSeconds), Speed = speed };
        var horizon = (workload.Count > 0 ? workload.Jobs[^1].SubmitUnix : start) + 30 * 86400L;
        var scenario = Parse(() => ScenarioParser.Parse(a.Scenarios, hub, start, horizon, a.Seed));
        return new SimulationPlan(hub, workload, profiles, options, scenario, traces, notes, report);
    }

    /// <summary>A hub of the node list's GPU nodes whose tenants are the trace's tenant keys (<see cref="NodeListHub"/>).</summary>
    private static HubModel HubFromNodeList(string file, IReadOnlyList<TraceJob> trace, TraceMapping mapping, BadRowPolicy policy, List<string> notes)
    {
        if (!File.Exists(file))
        {
            throw new SimulateInputException($"--hub '{file}': no such file");
        }
        if (!NodeListReader.IsNodeList(file))
        {
            throw new SimulateInputException($"--hub '{file}': a CSV hub must be a node list with columns sn, gpu and model (as cluster-trace-gpu-v2023's openb_node_list_gpu_node.csv)");
        }
        var report = new TraceReadReport();
        var nodes = NodeListReader.Read(file, policy, report);
        var keys = trace.Select(t => mapping.Tenants.TryGetValue(t.TenantKey, out var name) ? name : t.TenantKey).Distinct(StringComparer.OrdinalIgnoreCase).ToArray();
        var hub = NodeListHub.Build(Path.GetFileNameWithoutExtension(file), nodes, keys, mapping.Accelerators);
        var pools = string.Join(", ", hub.Pools.Select(p => $"{p.Nodes} × {p.GpusPerNode} {p.Accelerator.Model}"));
        notes.Add($"hub from node list {Path.GetFileName(file)}: {hub.TotalGpus:N0} GPUs ({pools}); {report.Summary().Replace(Environment.NewLine, "; ", StringComparison.Ordinal)}; one site with Astana's climate, carbon and price; tenants = the trace's keys");
        return hub;
    }

    /// <summary>The hub and its scheduling section; a built-in hub has the built-in profiles only.</summary>
    private static (HubModel Hub, SchedulingConfig Scheduling, IReadOnlyList<WorkloadClass> Classes) LoadHub(string text)
    {
        if (File.Exists(text) || text.EndsWith(".yaml", StringComparison.OrdinalIgnoreCase) || text.EndsWith(".yml", StringComparison.OrdinalIgnoreCase))
        {
            var result = HubConfigLoader.LoadFile(text);
            if (result is not { Hub: { } hub, Scheduling: { } scheduling })
            {
                throw new SimulateInputException(string.Join(Environment.NewLine, result.Errors.Select(e => e.ToString())) + Environment.NewLine + $"{result.Errors.Count} error(s) in {text}");
            }
            return (hub, scheduling, result.WorkloadClasses);
        }
        var sample = Parse(() => SampleHubs.ByName(text)) ?? throw new SimulateInputException($"--hub '{text}': no such file, and not a built-in hub ({SampleHubs.BuiltInNames})");
        return (sample, SchedulingConfig.Default, []);
    }

    /// <summary>The profile with the weights of <c>--score NAME=WEIGHT</c> flags, named after them (serai+carbon=3).</summary>
    private static SchedulerProfile WithScores(SchedulerProfile profile, IReadOnlyList<string> flags)
    {
        var registry = PluginRegistry.BuiltIn;
        var tuned = profile;
        foreach (var flag in flags)
        {
            var parts = flag.Split('=', 2, StringSplitOptions.TrimEntries);
            var allowed = registry.Allowed(ExtensionPoint.Score);
            if (parts.Length != 2)
            {
                throw new SimulateInputException($"--score '{flag}': expected NAME=WEIGHT, e.g. carbon=3; scores: {allowed}");
            }
            var name = registry.Resolve(ExtensionPoint.Score, parts[0])
                ?? throw new SimulateInputException($"--score '{flag}': '{parts[0]}' is not a score; allowed: {allowed}");
            if (!double.TryParse(parts[1], NumberStyles.Float, CultureInfo.InvariantCulture, out var weight) || !ProfileLimits.IsWeight(weight))
            {
                throw new SimulateInputException($"--score '{flag}': weight '{parts[1]}' is not allowed; allowed: {ProfileLimits.WeightAllowed}");
            }
            tuned = tuned.WithScore(name, weight) with { Name = $"{tuned.Name}+{name}={parts[1]}" };
        }
        return tuned;
    }

    /// <summary>The profile with deferral turned off or on by <c>--deferral</c>, named after it (serai+deferral=off); null leaves it as it is.</summary>
    private static SchedulerProfile WithDeferral(SchedulerProfile profile, string? flag) => flag?.Trim().ToLowerInvariant() switch
    {
        null => profile,
        "off" => profile with { Deferral = null, Name = $"{profile.Name}+deferral=off" },
        "on" => profile with { Deferral = profile.Deferral ?? new DeferralSettings(), Name = $"{profile.Name}+deferral=on" },
        _ => throw new SimulateInputException($"--deferral '{flag}': allowed off, on"),
    };

    private static long ParseStart(string text) =>
        DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var d)
            ? d.ToUnixTimeSeconds()
            : throw new SimulateInputException($"--start '{text}': expected a UTC date such as 2026-07-01 or 2026-07-01T00:00Z");

    /// <summary>Turns the library's input errors into one kind the command prints.</summary>
    private static T Parse<T>(Func<T> read)
    {
        try
        {
            return read();
        }
        catch (Exception e) when (e is ArgumentException or TraceFormatException or IOException or UnauthorizedAccessException)
        {
            throw new SimulateInputException(e.Message);
        }
    }
}

/// <summary>A flag, file or trace row that cannot be used; the message names it and what is allowed.</summary>
public sealed class SimulateInputException(string message) : Exception(message);
