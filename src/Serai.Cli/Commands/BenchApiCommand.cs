using System.CommandLine;
using System.Text.Json;
using Serai.Cli.Bench;
using Spectre.Console;

namespace Serai.Cli.Commands;

/// <summary>`serai bench api`: job submissions per second and latency percentiles, 64 concurrent clients over loopback.</summary>
public static class BenchApiCommand
{
    private static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    public static Command Create()
    {
        var db = new Option<string>("--db") { Description = "sqlite (a fresh file) or postgres (a fresh schema; SERAI_BENCH_POSTGRES)", DefaultValueFactory = _ => "sqlite" };
        var clients = new Option<int>("--clients") { Description = "Concurrent clients", DefaultValueFactory = _ => 64 };
        var seconds = new Option<int>("--seconds") { Description = "Measured seconds (after 2 s of warm-up)", DefaultValueFactory = _ => 10 };
        var hub = new Option<string>("--hub") { Description = "Hub config", DefaultValueFactory = _ => "hubs/local.yaml" };
        var json = new Option<bool>("--json") { Description = "Print the figures as one JSON object" };
        var command = new Command("api", "Job submissions per second and p50/p99 latency, in-process server on loopback") { db, clients, seconds, hub, json };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var errors = new List<string>();
            if (parse.GetValue(db) is not ("sqlite" or "postgres"))
            {
                errors.Add($"--db: '{parse.GetValue(db)}' is not allowed; give sqlite or postgres");
            }
            if (parse.GetValue(clients) is < 1 or > 1024)
            {
                errors.Add($"--clients: {parse.GetValue(clients)} is out of range; allowed 1..1024");
            }
            if (parse.GetValue(seconds) is < 1 or > 3600)
            {
                errors.Add($"--seconds: {parse.GetValue(seconds)} is out of range; allowed 1..3600");
            }
            if (!File.Exists(parse.GetValue(hub)))
            {
                errors.Add($"--hub: '{parse.GetValue(hub)}' does not exist");
            }
            if (errors.Count > 0)
            {
                errors.ForEach(e => Console.Error.WriteLine($"error: {e}"));
                return 2;
            }
            var asJson = parse.GetValue(json);
            var r = await ApiBench.RunAsync(parse.GetValue(db)!, parse.GetValue(hub)!, parse.GetValue(clients), parse.GetValue(seconds),
                asJson ? null : line => AnsiConsole.MarkupLine($"[grey]{Markup.Escape(line)}[/]"));
            if (asJson)
            {
                Console.WriteLine(JsonSerializer.Serialize(r, JsonOptions));
                return 0;
            }
            var table = new Table().AddColumns("figure", "value", "target");
            table.AddRow("database", r.Database, "sqlite and postgres");
            table.AddRow("clients", r.Clients.ToString(System.Globalization.CultureInfo.InvariantCulture), "64");
            table.AddRow("submitted (201)", $"{r.Submitted:N0} in {r.Seconds:F1} s; {r.Errors} errors; {r.JobsInDatabase:N0} jobs in the database", "");
            table.AddRow("jobs/s", $"{r.JobsPerSecond:N0}", "≥ 2,000");
            table.AddRow("latency p50 / p90 / p99 / max", $"{r.P50Ms:F1} / {r.P90Ms:F1} / {r.P99Ms:F1} / {r.MaxMs:F1} ms", "p99 ≤ 50 ms");
            table.AddRow("group commits", $"{r.GroupCommits:N0} ({(r.GroupCommits == 0 ? 0 : r.JobsInDatabase / (double)r.GroupCommits):F1} jobs per commit)", "");
            table.AddRow("control loop", $"{r.SchedulerCycles:N0} scheduling cycles, {r.SchedulerSeconds:F1} s in the scheduler; {r.PendingAtEnd:N0} jobs pending at the end", "");
            table.AddRow("Slurm", Markup.Escape(r.Sbatch ?? ""), "");
            AnsiConsole.Write(table);
            return 0;
        });
        return command;
    }
}
