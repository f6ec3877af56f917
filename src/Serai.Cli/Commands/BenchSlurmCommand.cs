using System.CommandLine;
using System.Globalization;
using Serai.Cli.Bench;
using Serai.Config;
using Serai.Server;
using Spectre.Console;

namespace Serai.Cli.Commands;

/// <summary>`serai bench slurm`: N one-GPU jobs with sbatch directly and through Serai, to the same Slurm cluster, side by side.</summary>
public static class BenchSlurmCommand
{
    public static Command Create()
    {
        var hub = new Option<string>("--hub") { Description = "Hub config with a site that says backend: slurm", Required = true };
        var site = new Option<string?>("--site") { Description = "The Slurm site (default: the first one of the hub)" };
        var jobs = new Option<int>("--jobs") { Description = "Jobs per way (one GPU each, command `true`)", DefaultValueFactory = _ => 100 };
        var only = new Option<bool>("--no-cli") { Description = "Leave out the CLI way (N `serai submit` processes; slow where processes start slowly)" };
        var cliPath = new Option<string?>("--cli")
        {
            Description = "The `serai` of the CLI way (default: the native client when this CLI is installed as full/ beside it, else this one)",
        };
        var command = new Command("slurm", "N one-GPU jobs with sbatch directly vs. through Serai's Slurm backend, its API and its CLI, to the same Slurm cluster") { hub, site, jobs, only, cliPath };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var n = parse.GetValue(jobs);
            if (n is < 1 or > 100_000)
            {
                Console.Error.WriteLine($"error: --jobs: {n} is out of range; allowed 1..100000");
                return 2;
            }
            if (parse.GetValue(cliPath) is { } named && !File.Exists(named))
            {
                Console.Error.WriteLine($"error: --cli: '{named}' does not exist; give the path of a serai executable or serai.dll");
                return 2;
            }
            var cliExecutable = SlurmBench.CliExecutable(parse.GetValue(cliPath));
            var result = HubConfigLoader.LoadFile(parse.GetValue(hub)!);
            if (!result.Ok)
            {
                result.Errors.ToList().ForEach(e => Console.Error.WriteLine($"error: {e}"));
                return 2;
            }
            var slurmSites = result.Backends.Values.OfType<SlurmSiteSettings>().ToList();
            var wanted = parse.GetValue(site);
            var settings = wanted is null ? slurmSites.FirstOrDefault() : slurmSites.FirstOrDefault(s => s.Site == wanted);
            if (settings is null)
            {
                Console.Error.WriteLine($"error: --site: '{wanted ?? "(first)"}' is not a Slurm site of the hub; Slurm sites: {string.Join(", ", slurmSites.Select(s => s.Site))}");
                return 2;
            }
            var options = SlurmSites.Options(settings);
            var runner = SlurmSites.Runner(settings);
            var pool = options.Pools.Keys.First();
            AnsiConsole.MarkupLine($"[grey]{n} one-GPU jobs to cluster {Markup.Escape(settings.Cluster)} ({Markup.Escape(runner.Description)}), pool {Markup.Escape(pool)}[/]");
            // each way's figures are printed as it ends too (a long run keeps what it measured if stopped later)
            var direct = Said(await SlurmBench.DirectAsync(options, runner, n, pool, cancellationToken));
            var serai = Said(await SlurmBench.SeraiAsync(options, runner, n, pool, cancellationToken));
            var api = Said(await SlurmBench.ThroughApiAsync(Path.GetFullPath(parse.GetValue(hub)!), options, runner, n, cancellationToken));
            SlurmBenchRun? cli = parse.GetValue(only) ? null : Said(await SlurmBench.ThroughCliAsync(Path.GetFullPath(parse.GetValue(hub)!), options, runner, n, cliExecutable, cancellationToken));
            // one row per way (narrow enough for an 80-column terminal); ratios against sbatch directly
            var table = new Table().AddColumns("way", "submissions/s", "all started", "/ sbatch", "all finished", "/ sbatch", "not COMPLETED");
            foreach (var way in ((SlurmBenchRun?[])[direct, serai, api, cli]).OfType<SlurmBenchRun>())
            {
                table.AddRow(way.Way, F(way.SubmissionsPerSecond), S(way.AllStartedSeconds), Ratio(way.AllStartedSeconds, direct.AllStartedSeconds),
                    S(way.AllFinishedSeconds), Ratio(way.AllFinishedSeconds, direct.AllFinishedSeconds), way.Failed.ToString(CultureInfo.InvariantCulture));
            }
            AnsiConsole.Write(table);
            AnsiConsole.MarkupLine($"[grey]machine: {Markup.Escape(MachineDescription.Current())}; load average {Markup.Escape(LoadAverage())}; Slurm start/end times are whole seconds[/]");
            AnsiConsole.MarkupLine($"[grey]CLI way: {Markup.Escape(string.Join(' ', [cliExecutable.File, .. cliExecutable.Prefix]))} submit ...; look-ahead of pool {Markup.Escape(pool)}: {options.Pools[pool].LookAheadGpus} GPUs[/]");
            return 0;
        });
        return command;
    }

    private static SlurmBenchRun Said(SlurmBenchRun run)
    {
        AnsiConsole.MarkupLine(Markup.Escape(string.Create(CultureInfo.InvariantCulture,
            $"{run.Way}: {run.SubmissionsPerSecond:N1} submissions/s, all started {run.AllStartedSeconds:N0} s, all finished {run.AllFinishedSeconds:N0} s, {run.Failed} not COMPLETED (load {LoadAverage()})")));
        return run;
    }

    /// <summary>The 1, 5 and 15 minute load averages (the machine is shared), or "unknown".</summary>
    private static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "unknown";

    private static string F(double value) => value.ToString("N1", CultureInfo.InvariantCulture);

    private static string S(double seconds) => seconds.ToString("N0", CultureInfo.InvariantCulture) + " s";

    private static string Ratio(double a, double b) => b > 0 ? (a / b).ToString("0.00", CultureInfo.InvariantCulture) + "×" : "";
}
