using System.CommandLine;
using System.Diagnostics;
using System.Text.Json;
using Serai.Cli.Bench;
using Serai.Scheduling.Profiles;
using Spectre.Console;

namespace Serai.Cli.Commands;

/// <summary>`serai bench scheduler`: placements per second and per-job decision latency on a large synthetic hub.</summary>
public static class BenchSchedulerCommand
{
    public static Command Create()
    {
        var gpus = new Option<int>("--gpus") { Description = "GPUs in the synthetic hub", DefaultValueFactory = _ => 100_000 };
        var sites = new Option<int>("--sites") { Description = "Sites in the synthetic hub", DefaultValueFactory = _ => 5 };
        var jobs = new Option<int>("--jobs") { Description = "Pending jobs", DefaultValueFactory = _ => 100_000 };
        var rounds = new Option<int>("--rounds") { Description = "Cycles (the first from an empty hub)", DefaultValueFactory = _ => 3 };
        var profile = new Option<string>("--profile") { Description = $"Scheduling profile: {BuiltInProfiles.Names}", DefaultValueFactory = _ => "serai" };
        var seed = new Option<int>("--seed") { Description = "Random seed", DefaultValueFactory = _ => 42 };
        var allCores = new Option<bool>("--all-cores") { Description = "Do not pin the process to one core" };
        var json = new Option<bool>("--json") { Description = "Print the figures as one JSON object" };
        var events = new Option<int>("--events") { Description = "Cycles after one event each (a completion or an arrival), after the rounds; 0: none", DefaultValueFactory = _ => 200 };
        var fullEvery = new Option<int>("--full-every") { Description = "With --events: a full cycle on the same state every this many events, timed and compared", DefaultValueFactory = _ => 20 };
        var command = new Command("scheduler", "Placements per second and decision latency, 100,000 GPUs and 100,000 pending jobs by default")
        {
            gpus, sites, jobs, rounds, profile, seed, allCores, json, events, fullEvery,
        };
        command.SetAction(parse =>
        {
            var errors = new List<string>();
            Check(errors, "--gpus", parse.GetValue(gpus), 64, 10_000_000);
            Check(errors, "--sites", parse.GetValue(sites), 1, 64);
            Check(errors, "--jobs", parse.GetValue(jobs), 1, 10_000_000);
            Check(errors, "--rounds", parse.GetValue(rounds), 1, 100);
            Check(errors, "--events", parse.GetValue(events), 0, 100_000);
            Check(errors, "--full-every", parse.GetValue(fullEvery), 0, 100_000);
            var profileName = parse.GetValue(profile)!;
            if (BuiltInProfiles.ByName(profileName) is null)
            {
                errors.Add($"--profile: '{profileName}' is not a profile; allowed: {BuiltInProfiles.Names}");
            }
            if (errors.Count > 0)
            {
                errors.ForEach(e => Console.Error.WriteLine($"error: {e}"));
                return 2;
            }
            if (!parse.GetValue(allCores) && (OperatingSystem.IsLinux() || OperatingSystem.IsWindows()))
            {
                Process.GetCurrentProcess().ProcessorAffinity = 1;
            }
            var asJson = parse.GetValue(json);
            var options = new SchedulerBenchOptions(parse.GetValue(gpus), parse.GetValue(sites), parse.GetValue(jobs), parse.GetValue(rounds), profileName, parse.GetValue(seed),
                parse.GetValue(events), parse.GetValue(fullEvery));
            var result = SchedulerBench.Run(options, asJson ? null : line => AnsiConsole.MarkupLine($"[grey]{Markup.Escape(line)}[/]"));
            if (asJson)
            {
                Console.WriteLine(JsonSerializer.Serialize(result, JsonOptions));
                return 0;
            }
            var table = new Table().AddColumns("figure", "value", "target");
            table.AddRow("hub", $"{result.Gpus:N0} GPUs in {result.Sites} sites", "100,000 GPUs, 5 sites");
            table.AddRow("pending jobs", $"{result.PendingJobs:N0}", "100,000");
            table.AddRow("placements", $"{result.Placements:N0} in {result.SchedulingSeconds:F2} s over {result.Rounds} cycles", "");
            table.AddRow("placements/s", $"{result.PlacementsPerSecond:N0}", "≥ 20,000");
            table.AddRow("jobs decided/s", $"{result.JobsPerSecond:N0}", "");
            table.AddRow("decision latency p50 / p99 / max", $"{result.P50Microseconds:F1} / {result.P99Microseconds:F1} / {result.MaxMicroseconds:F0} µs", "p99 ≤ 5 ms");
            if (result.AfterOneEvent is { } e)
            {
                table.AddRow("cycle after one event (incremental)", $"p50 {e.IncrementalP50Ms:F3} / p99 {e.IncrementalP99Ms:F3} / max {e.IncrementalMaxMs:F1} ms over {e.Events} events at {e.PendingMin:N0}–{e.PendingMax:N0} pending; {e.JobsLookedAtPerCycle:F0} jobs looked at per cycle, {e.FellBack} fell back to full; per cycle {e.DormantShapesPerCycle:F0} dormant shapes, {e.ShapesRecheckedPerCycle:F0} checked again, {e.ShapesWokenPerCycle:F0} woke", "p99 ≤ 1 ms");
                table.AddRow("cycle after one event (full, computed afresh)", $"p50 {e.FullP50Ms:F1} / max {e.FullMaxMs:F1} ms over {e.FullCycles} cycles; {e.Mismatches} decided otherwise", "");
                table.AddRow("incremental time by phase (s)", string.Join(", ", e.IncrementalSecondsByPhase.Select(p => $"{p.Key} {p.Value:F3}")), "");
                table.AddRow("fell back to full, by cause", string.Join(", ", (e.FellBackBecause ?? new Dictionary<string, long>()).Select(f => $"{f.Key} {f.Value}")), "");
            }
            table.AddRow("machine", Markup.Escape(result.Machine), "");
            AnsiConsole.Write(table);
            return 0;
        });
        return command;
    }

    private static readonly JsonSerializerOptions JsonOptions = new() { PropertyNamingPolicy = JsonNamingPolicy.CamelCase };

    private static void Check(List<string> errors, string flag, int value, int min, int max)
    {
        if (value < min || value > max)
        {
            errors.Add($"{flag}: {value} is out of range; allowed: {min}..{max}");
        }
    }
}
