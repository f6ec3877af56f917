using System.Text;
using Serai.Server.Control;
using Serai.Server.Persistence;
using static Serai.Server.Dashboard.Html;

namespace Serai.Server.Dashboard.Pages;

/// <summary>Page 6: pending jobs grouped by why they wait, with wait time, priority, GPUs and tenant.</summary>
public static class QueuePage
{
    /// <summary>The groups in the order shown, with the words of the scheduler's reasons that put a job in each.</summary>
    public static readonly (string Group, string[] Words)[] Groups =
    [
        ("waiting for approval", ["approv", "high-risk", "high risk"]),
        ("residency", ["residen", "jurisdiction", "country"]),
        ("quota", ["quota", "borrow", "guarantee", "priority class"]),
        ("cooling", ["cooling"]),
        ("power", ["power", "grid", "cap "]),
        ("deferred", ["defer", "cleaner", "cheaper", "not yet eligible", "eligible"]),
        ("capacity", ["capacity", "free", "gpus", "gang", "reserv", "behind", "pool", "stack", "memory", "down"]),
    ];

    /// <summary>The group of a reason text; "not yet considered" when there is none.</summary>
    public static string GroupOf(string? reason, long? notBeforeUnix)
    {
        if (notBeforeUnix is > 0)
        {
            return "deferred";
        }
        if (string.IsNullOrWhiteSpace(reason))
        {
            return "not yet considered";
        }
        var text = reason.ToLowerInvariant();
        foreach (var (group, words) in Groups)
        {
            if (words.Any(w => text.Contains(w, StringComparison.Ordinal)))
            {
                return group;
            }
        }
        return "other";
    }

    public static async Task<string> RenderAsync(Viewer viewer, JobStore jobs, ControlLoop loop, long nowUnix, CancellationToken cancellationToken)
    {
        var pending = await jobs.ListAsync(new JobFilter(viewer.OnlyTenant, "pending", null, null, null, 1000), cancellationToken);
        var rows = pending.Select(r => (Row: r, Reason: loop.WaitReason(r.Id) ?? r.Reason)).ToList();
        var html = new StringBuilder($"<p class=\"summary\"><strong>{rows.Count}</strong> pending job(s){(pending.Count == 1000 ? " (the newest 1000)" : "")}.</p>");
        if (rows.Count == 0)
        {
            html.Append("<p>The queue is empty.</p>");
        }
        var order = Groups.Select(g => g.Group).Concat(["other", "not yet considered"]).ToList();
        foreach (var group in rows.GroupBy(r => GroupOf(r.Reason, r.Row.NotBeforeUnix)).OrderBy(g => order.IndexOf(g.Key)))
        {
            var id = "q-" + group.Key.Replace(' ', '-');
            html.Append($"<section class=\"queue-group\" data-group=\"{E(group.Key)}\" aria-labelledby=\"{id}\"><h2 id=\"{id}\">{E(group.Key)} ({group.Count()})</h2>");
            html.Append("<table><thead><tr><th scope=\"col\">Job</th><th scope=\"col\">Name</th><th scope=\"col\">Tenant</th><th scope=\"col\">Priority</th><th scope=\"col\">GPUs</th><th scope=\"col\">Waiting</th><th scope=\"col\">Reason</th></tr></thead><tbody>");
            foreach (var (row, reason) in group.OrderBy(r => r.Row.Id))
            {
                var until = row.NotBeforeUnix is > 0 ? $" until {TimeTag(row.NotBeforeUnix.Value)}" : "";
                html.Append($"<tr data-job=\"{row.Id}\"><td><a href=\"/jobs/{row.Id}\">{row.Id}</a></td><td>{E(row.Name)}</td><td>{E(row.Tenant)}</td><td>{E(row.Priority)}</td>" +
                    $"<td>{I(row.Gpus)}</td><td>{Duration(nowUnix - row.SubmitUnix)}</td><td class=\"reason\">{E(reason ?? "not yet considered by the scheduler")}{until}</td></tr>");
            }
            html.Append("</tbody></table></section>");
        }
        return html.ToString();
    }
}
