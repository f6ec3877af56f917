using System.Globalization;
using System.Text;
using Serai.Simulation.Engine;
using Serai.Simulation.Metrics;
using Serai.Simulation.Running;

namespace Serai.Simulation.Report;

/// <summary>report.html: one self-contained page (inline SVG and CSS, no scripts) with the comparison table and charts.</summary>
public static class HtmlReport
{
    public static void Write(string path, string command, IReadOnlyList<RunResult> runs, IReadOnlyList<string> notes) =>
        File.WriteAllText(path, Render(command, runs, notes), new UTF8Encoding(false));

    public static string Render(string command, IReadOnlyList<RunResult> runs, IReadOnlyList<string> notes)
    {
        var main = runs[0];
        var sim = main.Simulator;
        var sb = new StringBuilder();
        sb.Append("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Serai simulation report</title><style>")
          .Append("body{font-family:sans-serif;margin:24px;max-width:920px}table{border-collapse:collapse;font-size:12px}")
          .Append("td,th{border:1px solid #ccc;padding:3px 6px;text-align:right}th{background:#f4f4f4}td:first-child{text-align:left}")
          .Append("svg{display:block;margin:12px 0}code{background:#f4f4f4;padding:2px 4px}.bad{color:#b00;font-weight:bold}</style></head><body>");
        sb.Append(CultureInfo.InvariantCulture, $"<h1>Serai simulation: {E(sim.Hub.Name)}</h1><p>{sim.Workload.Count:N0} jobs, {sim.Hub.TotalGpus:N0} GPUs, policy <b>{E(main.Summary.Policy)}</b>, scenario <b>{E(main.Summary.Scenario)}</b>. Command: <code>{E(command)}</code></p>");
        foreach (var note in notes)
        {
            sb.Append("<p>").Append(E(note)).Append("</p>");
        }
        ReportTables.Comparison(sb, runs);
        ReportTables.Scenario(sb, main.Summary);
        var days = DaysFrom(main.Metrics.StartUnix);
        sb.Append("<h2>Power against caps, per site</h2>");
        foreach (var site in sim.Hub.Sites)
        {
            var rows = main.Metrics.Hours.Where(h => h.Site == site.Index).ToArray();
            sb.Append(SvgChart.Line($"{site.Name}: power (MW)", "day", "MW",
            [
                new("IT max", rows.Select(h => (days(h.HourUnix), h.ItWattsMax / 1e6)).ToList()),
                new("IT limit (cap, cooling, grid/PUE)", rows.Select(h => (days(h.HourUnix), h.ItLimitWatts / 1e6)).ToList(), true),
                new("facility max", rows.Select(h => (days(h.HourUnix), h.FacilityWattsMax / 1e6)).ToList()),
                new("grid connection", rows.Select(h => (days(h.HourUnix), h.GridWatts / 1e6)).ToList(), true),
            ]));
        }
        sb.Append("<h2>Utilisation per site</h2>").Append(SvgChart.Line("GPU utilisation per hour", "day", "share of GPUs busy",
            sim.Hub.Sites.Select(s => new ChartSeries(s.Name, main.Metrics.Hours.Where(h => h.Site == s.Index).Select(h => (days(h.HourUnix), h.Utilisation)).ToList())).ToList()));
        sb.Append("<h2>Queue length</h2>").Append(SvgChart.Line("jobs pending at each hour", "day", "jobs",
            runs.Select(r => new ChartSeries(r.Summary.Policy, r.Metrics.HubHours.Select(h => (days(h.HourUnix), (double)h.Pending)).ToList())).ToList()));
        sb.Append("<h2>Job completion time</h2>").Append(SvgChart.Line("JCT distribution (CDF) per policy, up to the 99th percentile", "JCT (hours)", "share of jobs",
            runs.Select(r => new ChartSeries(r.Summary.Policy, Cdf(r.Simulator))).ToList()));
        var tenants = main.Summary.Tenants.Where(t => t.Jobs > 0).ToArray();
        sb.Append("<h2>Tenant shares</h2>").Append(SvgChart.Bars("share of GPU-hours against entitlement", "share",
            tenants.Select(t => t.Name).ToArray(), [("share", tenants.Select(t => t.Share).ToArray()), ("entitlement", tenants.Select(t => t.Entitlement).ToArray())]));
        if (main.Summary.HeatWave is { } wave)
        {
            HeatWaveCharts(sb, main, wave, days);
        }
        ReportTables.Violations(sb, main.Summary);
        sb.Append("</body></html>\n");
        return sb.ToString();
    }

    private static void HeatWaveCharts(StringBuilder sb, RunResult run, HeatWaveFigures wave, Func<long, double> days)
    {
        var hub = run.Simulator.Hub;
        var site = hub.SiteIndex(wave.Site) ?? 0;
        var from = wave.FromUnix - 2 * 86400;
        var to = wave.ToUnix + 2 * 86400;
        var rows = run.Metrics.Hours.Where(h => h.HourUnix >= from && h.HourUnix < to).ToArray();
        var hot = rows.Where(h => h.Site == site).ToArray();
        sb.Append(CultureInfo.InvariantCulture, $"<h2>Heat wave at {E(wave.Site)} (+{wave.OffsetC:F0} °C)</h2>");
        sb.Append(SvgChart.Line($"{wave.Site}: outdoor temperature and PUE×10", "day", "°C",
            [new("outdoor °C", hot.Select(h => (days(h.HourUnix), h.OutdoorC)).ToList()), new("PUE × 10", hot.Select(h => (days(h.HourUnix), h.Pue * 10)).ToList())], null));
        sb.Append(SvgChart.Line($"{wave.Site}: facility power against the grid connection (MW)", "day", "MW",
            [
                new("facility max", hot.Select(h => (days(h.HourUnix), h.FacilityWattsMax / 1e6)).ToList()),
                new("grid connection", hot.Select(h => (days(h.HourUnix), h.GridWatts / 1e6)).ToList(), true),
                new("IT max", hot.Select(h => (days(h.HourUnix), h.ItWattsMax / 1e6)).ToList()),
                new("IT limit", hot.Select(h => (days(h.HourUnix), h.ItLimitWatts / 1e6)).ToList(), true),
            ]));
        sb.Append(SvgChart.Line("busy GPUs per site around the heat wave", "day", "GPUs busy",
            hub.Sites.Select(s => new ChartSeries(s.Name, rows.Where(h => h.Site == s.Index).Select(h => (days(h.HourUnix), h.BusyGpuSeconds / Math.Max(1, h.Seconds))).ToList())).ToList()));
    }

    private static List<(double X, double Y)> Cdf(Simulator sim)
    {
        var jct = new List<double>();
        for (var i = 0; i < sim.Jobs.Count; i++)
        {
            if (sim.Status(i) == JobStatus.Completed)
            {
                jct.Add((sim.Jobs.EndUnix[i] - sim.Workload.Jobs[i].SubmitUnix) / 3600.0);
            }
        }
        jct.Sort();
        var points = new List<(double, double)>();
        if (jct.Count == 0)
        {
            return points;
        }
        var cut = jct[(int)(0.99 * (jct.Count - 1))];
        for (var q = 0; q <= 200; q++)
        {
            var v = jct[(int)((jct.Count - 1) * q / 200.0)];
            if (v <= cut)
            {
                points.Add((v, q / 200.0));
            }
        }
        return points;
    }

    private static Func<long, double> DaysFrom(long start) => unix => (unix - start) / 86400.0;

    private static string E(string text) => SvgChart.Esc(text);
}
