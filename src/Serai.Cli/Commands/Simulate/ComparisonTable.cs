using System.Globalization;
using Serai.Simulation.Running;
using Spectre.Console;

namespace Serai.Cli.Commands.Simulate;

/// <summary>The table printed at the end of `serai simulate`: one row per policy.</summary>
public static class ComparisonTable
{
    public static void Write(IReadOnlyList<RunResult> runs)
    {
        var fifo = runs.FirstOrDefault(r => r.Summary.Policy == "fifo")?.Summary.JctSeconds.Mean;
        var slurm = runs.FirstOrDefault(r => r.Summary.Policy == "slurm")?.Summary.JctSeconds.Mean;
        if (Console.IsOutputRedirected && AnsiConsole.Profile.Width < 280)
        {
            AnsiConsole.Profile.Width = 280; // a log file is not a terminal: do not wrap the table at 80 columns
        }
        var table = new Table().Border(TableBorder.Rounded);
        string[] columns = ["policy", "mean JCT h", "p99 JCT h", "mean queue h", "JCT / slurm", "JCT / fifo", "util", "util busy", "ref GPU-h", "IT MWh", "facility MWh", "PUE", "t CO2", "jobs t CO2", "kg CO2 / ref GPU-h", "cost USD", "Jain share", "Jain slowdown", "preempt", "emerg. max s", "violations"];
        foreach (var c in columns)
        {
            table.AddColumn(new TableColumn(c).RightAligned());
        }
        var ci = CultureInfo.InvariantCulture;
        foreach (var s in runs.Select(r => r.Summary))
        {
            var ratio = fifo is > 0 ? (s.JctSeconds.Mean / fifo.Value).ToString("F3", ci) : "-";
            var slurmRatio = slurm is > 0 ? (s.JctSeconds.Mean / slurm.Value).ToString("F3", ci) : "-";
            var violations = s.Violations.Total == 0 ? "0" : $"[red]{s.Violations.Total}[/]";
            table.AddRow(
                Markup.Escape(s.Policy), SimulateRun.Hours(s.JctSeconds.Mean), SimulateRun.Hours(s.JctSeconds.P99), SimulateRun.Hours(s.QueueingDelaySeconds.Mean), slurmRatio, ratio,
                s.UtilisationHub.ToString("P1", ci), (s.BusyWindowHours > 0 ? s.UtilisationBusyWindow.ToString("P1", ci) : "-"), s.ReferenceGpuHoursDelivered.ToString("N0", ci), s.ItEnergyMwh.ToString("F1", ci), s.FacilityEnergyMwh.ToString("F1", ci), s.MeanPue.ToString("F3", ci),
                s.CarbonTonnes.ToString("F1", ci), s.JobCarbonTonnes.ToString("F1", ci), s.JobCarbonKgPerReferenceGpuHour.ToString("F3", ci), s.CostUsd.ToString("N0", ci), s.JainFairness.ToString("F3", ci), s.JainSlowdownFairness.ToString("F3", ci), s.Preemptions.ToString(ci),
                s.EmergencyStartLatencySeconds.Max.ToString("F0", ci), violations);
        }
        AnsiConsole.Write(table);
        foreach (var s in runs.Select(r => r.Summary))
        {
            if (s.VendorCutoff is { } v)
            {
                AnsiConsole.MarkupLineInterpolated($"{s.Policy}: vendor {v.Vendor} cut off: {v.GpusLost:N0} GPUs lost ({v.CapacityLostShare:P1}), {v.StrandedJobs:N0} jobs stranded ({string.Join(", ", v.StrandedJobsByTenant.Select(kv => $"{kv.Key} {kv.Value}"))}), mean JCT {v.MeanJctAddedSeconds / 3600:+0.00;-0.00} h");
            }
            if (s.HeatWave is { } w)
            {
                AnsiConsole.MarkupLineInterpolated($"{s.Policy}: heat wave at {w.Site}: its share of busy GPU-hours {w.HotSiteShareDuring:P1} (without the wave {w.BaselineHotSiteShareDuring:P1}); facility peak {w.MaxFacilityOverGrid:P1} of grid");
            }
        }
    }
}
