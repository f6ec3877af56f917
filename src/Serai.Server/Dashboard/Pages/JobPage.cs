using System.Text;
using Serai.Contracts;
using Serai.Server.Control;
using Serai.Server.Jobs;
using Serai.Server.Persistence;
using static Serai.Server.Dashboard.Html;

namespace Serai.Server.Dashboard.Pages;

/// <summary>Page 8: one job's timeline from the audit trail, placement, usage, and its log with follow.</summary>
public static class JobPage
{
    public static async Task<string> RenderAsync(JobRow row, ControlLoop loop, AuditStore audit, DashboardQueries queries, long nowUnix, CancellationToken cancellationToken)
    {
        var entries = (await audit.ListAsync(null, row.Id, null, null, 500, cancellationToken)).OrderBy(e => e.Id).ToList();
        var usage = await queries.JobUsageAsync(row.Id, loop.Snapshot.RunningUsage, cancellationToken);
        var marks = new List<Svg.Mark> { new(row.SubmitUnix, "submit", "submitted") };
        marks.AddRange(entries.Select(e => new Svg.Mark(e.AtUnix, e.Kind, $"{e.Kind}: {e.Message}")));
        var reason = row.State == JobStates.Pending ? loop.WaitReason(row.Id) ?? row.Reason : row.Reason;
        var html = new StringBuilder();
        html.Append($"<p class=\"summary\">{StateBadge(row.State)} {E(row.Name)} · tenant {E(row.Tenant)} · {E(row.Priority)} · {I(row.Gpus)} GPU(s)</p>");
        html.Append("<dl class=\"facts wide\">");
        html.Append($"<dt>{(row.State == JobStates.Pending ? "Waits because" : "Reason")}</dt><dd class=\"reason\">{E(reason ?? "—")}</dd>");
        html.Append($"<dt>Site / pool</dt><dd>{E(row.Site ?? "—")} / {E(row.Pool ?? "—")}</dd>");
        var view = JobView.From(row, loop);
        var gpus = view.GpuIndexes is { Count: > 0 } nodes
            ? string.Join("; ", nodes.Select((g, i) => $"node {i + 1}: GPU {string.Join(", ", g)}"))
            : "—";
        html.Append($"<dt>GPUs</dt><dd>{E(gpus)}</dd>");
        html.Append($"<dt>Command</dt><dd><code>{E(string.Join(' ', view.Command))}</code></dd>");
        html.Append($"<dt>Time limit</dt><dd>{(view.TimeLimitSeconds is { } limit ? Duration(limit) : "—")}</dd>");
        html.Append($"<dt>Power</dt><dd>{(row.PowerFraction is { } p ? $"{N(p * 100, 0)} % of TDP" : "—")}</dd>");
        html.Append($"<dt>Attempts</dt><dd>{I(row.Attempt)} (preempted {I(row.Preemptions)}×)</dd>");
        html.Append($"<dt>Submitted</dt><dd>{TimeTag(row.SubmitUnix)}</dd><dt>Started</dt><dd>{TimeTag(row.StartedUnix ?? 0)}</dd><dt>Ended</dt><dd>{TimeTag(row.EndedUnix ?? 0)}</dd>");
        html.Append($"<dt>Exit code</dt><dd>{(row.ExitCode is { } x ? I(x) : "—")}</dd>");
        html.Append("</dl>");
        html.Append("<section aria-labelledby=\"usage-h\"><h2 id=\"usage-h\">Usage</h2><dl class=\"facts\">");
        html.Append($"<dt>GPU-hours</dt><dd>{N(usage.GpuHours, 3)}</dd><dt>Energy</dt><dd>{N(usage.EnergyKwh, 3)} kWh</dd>");
        html.Append($"<dt>CO2</dt><dd>{N(usage.Co2Kg, 3)} kg</dd><dt>Cost</dt><dd>{N(usage.CostUsd, 2)} $</dd></dl></section>");
        html.Append("<section aria-labelledby=\"timeline-h\"><h2 id=\"timeline-h\">Timeline</h2>");
        html.Append(Svg.Timeline(marks, JobStates.IsTerminal(row.State) ? row.EndedUnix ?? nowUnix : nowUnix));
        html.Append("<ol class=\"events\">");
        html.Append($"<li>{TimeTag(row.SubmitUnix)} <span class=\"key submit\">submitted</span></li>");
        foreach (var e in entries)
        {
            html.Append($"<li>{TimeTag(e.AtUnix)} <span class=\"key {E(e.Kind)}\">{E(e.Kind)}</span> {E(e.Message)}</li>");
        }
        html.Append("</ol></section>");
        return html.ToString();
    }

    /// <summary>The log viewer, outside the live region so that a refresh never moves the reader.</summary>
    public static string Log(long jobId) =>
        "<section aria-labelledby=\"log-h\"><h2 id=\"log-h\">Log</h2>" +
        "<p><label><input type=\"checkbox\" id=\"log-follow\" checked> Follow (scroll up to stop following)</label> " +
        "<label>Stream <select id=\"log-stream\"><option>stdout</option><option>stderr</option></select></label></p>" +
        $"<pre id=\"log\" class=\"log\" data-job=\"{jobId}\" tabindex=\"0\" aria-label=\"job output\" aria-live=\"off\"></pre></section>";
}
