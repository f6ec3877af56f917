using System.Globalization;
using Serai.Config;
using Serai.Core.Model;
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
        var hub = LoadHub(a.Hub ?? (a.Synthetic > 0 ? "central-asia" : a.Trace is null ? SampleHubName : "itp"));
        var profiles = new[] { a.Policy }.Concat((a.Compare ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            .Select(name => BuiltInProfiles.ByName(name) ?? throw new SimulateInputException($"--policy/--compare: '{name}' is not a policy; allowed: {BuiltInProfiles.Names}"))
            .DistinctBy(p => p.Name).ToArray();
        var notes = new List<string>();
        var traces = new List<string>();
        Workload workload;
        TraceReadReport? report = null;
        if (a.Synthetic > 0)
        {
            workload = SyntheticWorkload.Generate(hub, new SyntheticOptions(a.Synthetic, a.Seed, start));
            notes.Add($"{a.Synthetic:N0} synthetic jobs of the hub's own tenants, seed {a.Seed}");
        }
        else
        {
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
            var mapping = (a.Mapping is null ? new TraceMapping() : Parse(() => TraceMapping.Load(a.Mapping))) with { Seed = a.Seed };
            mapping = mapping with
            {
                DeferrableShare = a.DeferrableShare ?? mapping.DeferrableShare,
                CheckpointableShare = a.CheckpointableShare ?? mapping.CheckpointableShare,
            };
            mapping = Parse(() => mapping.Validated("flags"));
            traces.AddRange(WorkloadLoader.ExpandPaths(paths));
            var loaded = Parse(() => WorkloadLoader.FromTraces(hub, paths, format, mapping, policy, start));
            workload = loaded.Workload;
            report = loaded.Report;
            notes.AddRange(loaded.Notes);
        }
        var options = new SimulationOptions { StartUnix = start, CycleIntervalSeconds = Math.Max(0, a.CycleSeconds) };
        var horizon = (workload.Count > 0 ? workload.Jobs[^1].SubmitUnix : start) + 30 * 86400L;
        var scenario = Parse(() => ScenarioParser.Parse(a.Scenarios, hub, start, horizon, a.Seed));
        return new SimulationPlan(hub, workload, profiles, options, scenario, traces, notes, report);
    }

    private static HubModel LoadHub(string text)
    {
        if (File.Exists(text) || text.EndsWith(".yaml", StringComparison.OrdinalIgnoreCase) || text.EndsWith(".yml", StringComparison.OrdinalIgnoreCase))
        {
            var result = HubConfigLoader.LoadFile(text);
            if (result.Hub is null)
            {
                throw new SimulateInputException(string.Join(Environment.NewLine, result.Errors.Select(e => e.ToString())) + Environment.NewLine + $"{result.Errors.Count} error(s) in {text}");
            }
            return result.Hub;
        }
        return Parse(() => SampleHubs.ByName(text)) ?? throw new SimulateInputException($"--hub '{text}': no such file, and not a built-in hub ({SampleHubs.BuiltInNames})");
    }

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
