using System.Globalization;
using Serai.Simulation.Output;
using Serai.Simulation.Running;
using Spectre.Console;

namespace Serai.Cli.Commands.Simulate;

/// <summary>Runs a simulate plan: progress bar per policy, outputs, then the comparison table.</summary>
public static class SimulateRun
{
    public const int Ok = 0;
    public const int BadInput = 1;

    /// <summary>Exit code when a run broke a safety rule (a scheduler bug).</summary>
    public const int Violations = 3;

    public static int Execute(SimulateArguments a)
    {
        SimulationPlan plan;
        try
        {
            plan = SimulationPlan.Build(a);
        }
        catch (SimulateInputException e)
        {
            Console.Error.WriteLine(e.Message);
            return BadInput;
        }
        if (plan.TraceReport is { } report)
        {
            Console.Out.WriteLine(report.Summary());
        }
        foreach (var note in plan.Notes)
        {
            Console.Out.WriteLine(note);
        }
        Console.Out.WriteLine($"{plan.Workload.Count:N0} jobs on {plan.Hub.Name} ({plan.Hub.TotalGpus:N0} GPUs); scenario: {plan.Scenario.Name}");
        var runs = RunAll(plan, a.Quiet);
        var document = new SimulationDocument(a.CommandLine, a.Seed, plan.Options.StartUnix, plan.Traces, plan.Notes, runs[0].Summary, runs.Skip(1).Select(r => r.Summary).ToArray());
        OutputWriter.WriteAll(a.Out, document, runs);
        ComparisonTable.Write(runs);
        Console.Out.WriteLine($"wrote {Path.Combine(a.Out, "summary.json")}, jobs.csv, sites.csv, report.html");
        return runs.Any(r => r.Summary.Violations.Total > 0) ? Violations : Ok;
    }

    private static List<RunResult> RunAll(SimulationPlan plan, bool quiet)
    {
        var runs = new List<RunResult>();
        RunResult RunOne(Scheduling.Profiles.SchedulerProfile profile, Action<double>? progress) =>
            SimulationRunner.RunWithScenario(plan.Hub, plan.Workload, profile, plan.Options, plan.Scenario, progress);
        if (quiet || Console.IsOutputRedirected)
        {
            foreach (var profile in plan.Profiles)
            {
                runs.Add(RunOne(profile, null));
            }
            return runs;
        }
        AnsiConsole.Progress()
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
            .Start(context =>
            {
                var tasks = plan.Profiles.Select(p => context.AddTask(p.Name, autoStart: false, maxValue: 1)).ToArray();
                for (var i = 0; i < plan.Profiles.Count; i++)
                {
                    var task = tasks[i];
                    task.StartTask();
                    runs.Add(RunOne(plan.Profiles[i], p => task.Value = p));
                    task.Value = 1;
                    task.StopTask();
                }
            });
        return runs;
    }

    internal static string Hours(double seconds) => (seconds / 3600).ToString("F2", CultureInfo.InvariantCulture);
}
