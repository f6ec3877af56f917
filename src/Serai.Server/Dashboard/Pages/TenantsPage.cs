using System.Globalization;
using System.Text;
using Serai.Server.Control;
using Serai.Server.Persistence;
using static Serai.Server.Dashboard.Html;

namespace Serai.Server.Dashboard.Pages;

/// <summary>Page 9: tenants' GPUs against guarantee and borrowing limit, fair share, jobs, and this month's accounting.</summary>
public static class TenantsPage
{
    /// <summary>One tenant's row: use now and this month's totals.</summary>
    public sealed record Row(TenantNow Now, double GpuHours, double EnergyKwh, double Co2Kg, double CostUsd);

    /// <summary>The visible tenants with this month's totals (closed stretches plus the running ones).</summary>
    public static async Task<(IReadOnlyList<Row> Rows, DateTimeOffset Month)> LoadAsync(Viewer viewer, HubSnapshot snapshot, UsageStore usage, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var month = new DateTimeOffset(now.Year, now.Month, 1, 0, 0, 0, TimeSpan.Zero);
        var totals = await usage.TotalsAsync(viewer.OnlyTenant, month.ToUnixTimeSeconds(), month.AddMonths(1).ToUnixTimeSeconds(), cancellationToken);
        var rows = snapshot.Tenants.Where(t => viewer.Caller.MaySee(t.Name)).Select(t =>
        {
            var done = totals.FirstOrDefault(x => x.Tenant == t.Name);
            var running = snapshot.RunningUsage.Where(s => s.Tenant == t.Name).ToList();
            return new Row(t, ((done?.GpuSeconds ?? 0) + running.Sum(s => s.GpuSeconds)) / 3600, (done?.EnergyKwh ?? 0) + running.Sum(s => s.EnergyKwh),
                (done?.Co2Kg ?? 0) + running.Sum(s => s.Co2Kg), (done?.CostUsd ?? 0) + running.Sum(s => s.CostUsd));
        }).ToList();
        return (rows, month);
    }

    public static string Render(IReadOnlyList<Row> rows, DateTimeOffset month)
    {
        var html = new StringBuilder($"<p><a href=\"/tenants.csv\" download>Download CSV</a> · accounting for {month:yyyy-MM} (UTC)</p>");
        html.Append("<table class=\"tenants\"><thead><tr><th scope=\"col\">Tenant</th><th scope=\"col\">GPUs held</th><th scope=\"col\">Guarantee</th><th scope=\"col\">Borrow limit</th>" +
            "<th scope=\"col\">Fair share</th><th scope=\"col\">Pending</th><th scope=\"col\">Running</th><th scope=\"col\">GPU-hours</th><th scope=\"col\">Energy kWh</th>" +
            "<th scope=\"col\">CO2 kg</th><th scope=\"col\">Cost $</th></tr></thead><tbody>");
        foreach (var r in rows)
        {
            var t = r.Now;
            html.Append($"<tr data-tenant=\"{E(t.Name)}\"><th scope=\"row\">{E(t.Name)}</th><td>{I(t.AllocatedGpus)} {Svg.Meter(t.AllocatedGpus, Math.Max(1, t.GuaranteedGpus + t.BorrowLimitGpus), $"{t.AllocatedGpus} GPUs of guarantee {t.GuaranteedGpus} plus borrowing {t.BorrowLimitGpus}")}</td>" +
                $"<td>{I(t.GuaranteedGpus)}</td><td>{I(t.BorrowLimitGpus)}</td><td>{N(t.FairShare, 2)}</td><td>{I(t.PendingJobs)}</td><td>{I(t.RunningJobs)}</td>" +
                $"<td>{N(r.GpuHours, 2)}</td><td>{N(r.EnergyKwh, 2)}</td><td>{N(r.Co2Kg, 2)}</td><td>{N(r.CostUsd, 2)}</td></tr>");
        }
        return html.Append("</tbody></table>").ToString();
    }

    /// <summary>The same rows as CSV (invariant culture, RFC 4180 quoting).</summary>
    public static string Csv(IReadOnlyList<Row> rows, DateTimeOffset month)
    {
        var c = CultureInfo.InvariantCulture;
        var csv = new StringBuilder("month,tenant,allocated_gpus,guaranteed_gpus,borrow_limit_gpus,fair_share,pending_jobs,running_jobs,gpu_hours,energy_kwh,co2_kg,cost_usd\n");
        foreach (var r in rows)
        {
            var t = r.Now;
            csv.Append(c, $"{month:yyyy-MM},{Quote(t.Name)},{t.AllocatedGpus},{t.GuaranteedGpus},{t.BorrowLimitGpus},{t.FairShare:0.####},{t.PendingJobs},{t.RunningJobs},{r.GpuHours:0.####},{r.EnergyKwh:0.####},{r.Co2Kg:0.####},{r.CostUsd:0.##}\n");
        }
        return csv.ToString();
    }

    private static string Quote(string value) =>
        value.IndexOfAny([',', '"', '\n', '\r']) >= 0 || value.StartsWith('=') ? "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : value;
}
