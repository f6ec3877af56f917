using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Serai.Cli.Bench;
using Spectre.Console;

namespace Serai.Cli.Commands;

/// <summary>`serai bench cli`: wall time of `serai jobs` and `serai submit`, native client and full CLI, beside sbatch.</summary>
public static class BenchCliCommand
{
    private static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    public static Command Create()
    {
        var runs = new Option<int>("--runs") { Description = "Measured calls of each command (after one not counted)", DefaultValueFactory = _ => 20 };
        var native = new Option<string?>("--native") { Description = "The native client (default: ../serai when this CLI is installed as full/ beside it)" };
        var slurmConf = new Option<string>("--slurm-conf") { Description = "Slurm config for the sbatch figure", DefaultValueFactory = _ => "/var/lib/serai-slurm/kz/slurm.conf" };
        var hub = new Option<string>("--hub") { Description = "Hub config", DefaultValueFactory = _ => "hubs/local.yaml" };
        var json = new Option<bool>("--json") { Description = "Print the figures as one JSON object" };
        var command = new Command("cli", "Start-up: wall ms of `serai jobs` and `serai submit` (native client, full CLI) and of sbatch, against a local server")
        {
            runs, native, slurmConf, hub, json,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            if (parse.GetValue(runs) is < 1 or > 10_000)
            {
                Console.Error.WriteLine($"error: --runs: {parse.GetValue(runs)} is out of range; allowed 1..10000");
                return 2;
            }
            if (!File.Exists(parse.GetValue(hub)))
            {
                Console.Error.WriteLine($"error: --hub: '{parse.GetValue(hub)}' does not exist");
                return 2;
            }
            var nativePath = parse.GetValue(native) ?? Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "..", "serai"));
            if (parse.GetValue(native) is { } given && !File.Exists(given))
            {
                Console.Error.WriteLine($"error: --native: '{given}' does not exist");
                return 2;
            }
            var (full, fullLabel) = CliBench.ThisCli();
            var asJson = parse.GetValue(json);
            var r = await CliBench.RunAsync(parse.GetValue(hub)!, parse.GetValue(runs),
                new CliBench.Clients(File.Exists(nativePath) ? nativePath : null, full, fullLabel, parse.GetValue(slurmConf), SbatchBench.Find()),
                asJson ? null : line => AnsiConsole.MarkupLine($"[grey]{Markup.Escape(line)}[/]"));
            if (asJson)
            {
                Console.WriteLine(JsonSerializer.Serialize(r, JsonOptions));
                return 0;
            }
            var table = new Table().AddColumns("client", "command", "median ms", "p90 ms", "min ms", "median CPU ms", "runs (failed)");
            foreach (var row in r.Rows)
            {
                table.AddRow(Markup.Escape(row.Client), Markup.Escape(row.Command), Ms(row.MedianMs), Ms(row.P90Ms), Ms(row.MinMs), row.MedianCpuMs is { } cpu ? Ms(cpu) : "",
                    string.Create(CultureInfo.InvariantCulture, $"{row.Runs} ({row.Failed})"));
            }
            AnsiConsole.Write(table);
            r.Notes.ToList().ForEach(note => AnsiConsole.MarkupLine($"[grey]{Markup.Escape(note)}[/]"));
            AnsiConsole.MarkupLine($"[grey]machine: {Markup.Escape(r.Machine)}; load average {r.LoadBefore} before, {r.LoadAfter} after; target: median ≤ 50 ms wall; CPU is user + system time of the call's process[/]");
            return r.Rows.Any(row => row.Failed > 0) ? 1 : 0;
        });
        return command;
    }

    private static string Ms(double ms) => ms.ToString("F1", CultureInfo.InvariantCulture);
}
