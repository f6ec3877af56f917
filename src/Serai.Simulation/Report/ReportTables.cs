using System.Globalization;
using System.Text;
using Serai.Simulation.Metrics;
using Serai.Simulation.Running;

namespace Serai.Simulation.Report;

/// <summary>The tables of report.html: policy comparison, scenario figures, violations.</summary>
internal static class ReportTables
{
    public static void Comparison(StringBuilder sb, IReadOnlyList<RunResult> runs)
    {
        sb.Append("<h2>Policies compared</h2><table><tr><th>policy</th><th>mean JCT h</th><th>median</th><th>p95</th><th>p99</th><th>mean queueing h</th><th>p99 queueing h</th>")
          .Append("<th>makespan d</th><th>utilisation</th><th>utilisation (busy window)</th><th>reference GPU-h delivered</th><th>IT MWh</th><th>facility MWh</th><th>PUE</th><th>t CO2</th><th>jobs' t CO2</th><th>jobs' kg CO2 / reference GPU-h</th><th>cost USD</th><th>Jain (share)</th><th>Jain (slowdown)</th><th>preemptions</th><th>emergency max start s</th><th>violations</th></tr>");
        foreach (var s in runs.Select(r => r.Summary))
        {
            var j = s.JctSeconds;
            var q = s.QueueingDelaySeconds;
            var bad = s.Violations.Total > 0 ? " class=\"bad\"" : "";
            sb.Append(CultureInfo.InvariantCulture,
                $"<tr><td>{Esc(s.Policy)}</td><td>{j.Mean / 3600:F2}</td><td>{j.Median / 3600:F2}</td><td>{j.P95 / 3600:F2}</td><td>{j.P99 / 3600:F2}</td><td>{q.Mean / 3600:F2}</td><td>{q.P99 / 3600:F2}</td>")
              .Append(CultureInfo.InvariantCulture,
                $"<td>{s.MakespanSeconds / 86400.0:F1}</td><td>{s.UtilisationHub:P1}</td><td>{(s.BusyWindowHours > 0 ? s.UtilisationBusyWindow.ToString("P1", CultureInfo.InvariantCulture) : "-")}</td><td>{s.ReferenceGpuHoursDelivered:N0}</td><td>{s.ItEnergyMwh:F1}</td><td>{s.FacilityEnergyMwh:F1}</td><td>{s.MeanPue:F3}</td><td>{s.CarbonTonnes:F1}</td><td>{s.JobCarbonTonnes:F1}</td><td>{s.JobCarbonKgPerReferenceGpuHour:F3}</td><td>{s.CostUsd:N0}</td><td>{s.JainFairness:F3}</td><td>{s.JainSlowdownFairness:F3}</td><td>{s.Preemptions}</td><td>{s.EmergencyStartLatencySeconds.Max:F0}</td><td{bad}>{s.Violations.Total}</td></tr>");
        }
        sb.Append("</table>");
    }

    public static void Scenario(StringBuilder sb, SimulationSummary s)
    {
        if (s.VendorCutoff is { } v)
        {
            sb.Append(CultureInfo.InvariantCulture, $"<h2>Vendor cut-off: {Esc(v.Vendor)}</h2><p>From {At(v.AtUnix)} ({(v.Disappear ? "accelerators disappear" : "no new work")}): {v.GpusLost:N0} GPUs lost ({v.CapacityLostShare:P1} of the hub); ")
              .Append(CultureInfo.InvariantCulture, $"{v.StrandedJobs:N0} jobs stranded (their stacks run on no other vendor); mean JCT {v.MeanJctAddedSeconds / 3600:+0.00;-0.00} h and mean queueing {v.MeanQueueingAddedSeconds / 3600:+0.00;-0.00} h against the same run without the cut-off; {v.UnfinishedAdded} more jobs never finished.</p>")
              .Append("<table><tr><th>tenant</th><th>stranded jobs</th></tr>");
            foreach (var (tenant, count) in v.StrandedJobsByTenant)
            {
                sb.Append(CultureInfo.InvariantCulture, $"<tr><td>{Esc(tenant)}</td><td>{count}</td></tr>");
            }
            sb.Append("</table>");
        }
        if (s.HeatWave is { } w)
        {
            sb.Append(CultureInfo.InvariantCulture, $"<p>Heat wave at {Esc(w.Site)}, {At(w.FromUnix)} to {At(w.ToUnix)}, +{w.OffsetC:F1} °C: the site ran {w.HotSiteShareDuring:P1} of the hub's busy GPU-hours during the wave against {w.BaselineHotSiteShareDuring:P1} without it; ")
              .Append(CultureInfo.InvariantCulture, $"highest facility power {w.MaxFacilityOverGrid:P1} of its grid connection; {w.Throttles} throttles and {w.Preemptions} preemptions in the run.</p>");
        }
    }

    public static void Violations(StringBuilder sb, SimulationSummary s)
    {
        var v = s.Violations;
        sb.Append(CultureInfo.InvariantCulture, $"<h2>Safety</h2><p>Checked after every cycle by an observer independent of the scheduler: capacity {v.Capacity}, IT power cap {v.PowerCap}, cooling {v.Cooling}, grid {v.Grid}, residency {v.Residency}, high-risk {v.HighRisk}, stack {v.Stack}, refused decisions {v.InvalidDecisions}.</p>");
        foreach (var m in s.ViolationMessages)
        {
            sb.Append("<p class=\"bad\">").Append(Esc(m)).Append("</p>");
        }
    }

    private static string At(long unix) => DateTimeOffset.FromUnixTimeSeconds(unix).ToString("yyyy-MM-dd HH:mm'Z'", CultureInfo.InvariantCulture);

    private static string Esc(string text) => SvgChart.Esc(text);
}
