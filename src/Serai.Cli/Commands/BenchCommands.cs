using System.CommandLine;

namespace Serai.Cli.Commands;

/// <summary>`serai bench ...`: measured benchmarks of the scheduler, simulator and API.</summary>
public static class BenchCommands
{
    public static Command Create()
    {
        var bench = new Command("bench", "Run a benchmark and print its measured figures");
        bench.Subcommands.Add(BenchSchedulerCommand.Create());
        bench.Subcommands.Add(BenchSimulatorCommand.Create());
        bench.Subcommands.Add(BenchApiCommand.Create());
        bench.Subcommands.Add(BenchSlurmCommand.Create());
        bench.Subcommands.Add(BenchCliCommand.Create());
        return bench;
    }
}
