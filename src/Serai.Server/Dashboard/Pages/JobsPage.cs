using System.Text;
using Serai.Contracts;
using Serai.Core.Model;
using Serai.Server.Apis;
using Serai.Server.Control;
using Serai.Server.Persistence;
using static Serai.Server.Dashboard.Html;

namespace Serai.Server.Dashboard.Pages;

/// <summary>Page 7: jobs newest first with filters in the URL, keyset paging (stable under live updates).</summary>
public static class JobsPage
{
    public const int PageSize = 50;

    /// <summary>The filters as given in the URL.</summary>
    public sealed record Query(string? State, string? Tenant, string? Priority, string? Name, string? Before);

    /// <summary>Checks the filters; the errors name each bad field.</summary>
    public static (JobFilter? Filter, FieldErrors Errors) Parse(Query q, Viewer viewer, HubModel hub)
    {
        var errors = new FieldErrors();
        if (q.State is { Length: > 0 } && !JobStates.All.Contains(q.State))
        {
            errors.Add("state", $"'{ApiIds.Trim(q.State)}' is not a job state; allowed: {JobStates.Allowed}");
        }
        if (q.Priority is { Length: > 0 } && !PriorityClasses.TryParse(q.Priority, out _))
        {
            errors.Add("priority", $"'{ApiIds.Trim(q.Priority)}' is not a priority class; allowed: {PriorityClasses.Allowed}");
        }
        if (q.Tenant is { Length: > 0 } && hub.TenantIndex(q.Tenant) is null)
        {
            errors.Add("tenant", $"'{ApiIds.Trim(q.Tenant)}' is not a tenant of this hub");
        }
        if (q.Name is { Length: > 128 })
        {
            errors.Add("name", "at most 128 characters");
        }
        var before = ApiIds.Cursor(string.IsNullOrEmpty(q.Before) ? null : q.Before, "before", errors);
        if (errors.Any)
        {
            return (null, errors);
        }
        var tenant = viewer.OnlyTenant ?? (string.IsNullOrEmpty(q.Tenant) ? null : hub.Tenants[hub.TenantIndex(q.Tenant)!.Value].Name);
        return (new JobFilter(tenant, Blank(q.State), Blank(q.Priority)?.ToLowerInvariant(), Blank(q.Name), before, PageSize), errors);
    }

    private static string? Blank(string? text) => string.IsNullOrEmpty(text) ? null : text;

    public static async Task<string> RenderAsync(Viewer viewer, Query q, JobFilter filter, HubModel hub, JobStore jobs, ControlLoop loop, CancellationToken cancellationToken)
    {
        var rows = await jobs.ListAsync(filter, cancellationToken);
        var html = new StringBuilder();
        html.Append("<form class=\"filters\" method=\"get\" action=\"/jobs\" role=\"search\" aria-label=\"Filter jobs\">");
        html.Append(Select("state", "State", JobStates.All, q.State));
        if (viewer.Caller.IsAdmin)
        {
            html.Append(Select("tenant", "Tenant", hub.Tenants.Select(t => t.Name), q.Tenant));
        }
        html.Append(Select("priority", "Priority", PriorityClasses.Allowed.Split(", "), q.Priority));
        html.Append($"<label>Name starts with <input type=\"search\" name=\"name\" value=\"{E(q.Name)}\" maxlength=\"128\"></label>");
        html.Append("<button type=\"submit\">Filter</button> <a href=\"/jobs\">Clear</a></form>");
        var url = "/jobs" + Html.Query(("state", q.State), ("tenant", q.Tenant), ("priority", q.Priority), ("name", q.Name), ("before", q.Before));
        var table = new StringBuilder("<table class=\"jobs\"><thead><tr><th scope=\"col\">Job</th><th scope=\"col\">Name</th><th scope=\"col\">Tenant</th><th scope=\"col\">State</th><th scope=\"col\">Priority</th><th scope=\"col\">GPUs</th><th scope=\"col\">Site</th><th scope=\"col\">Submitted</th><th scope=\"col\">Reason</th></tr></thead><tbody>");
        foreach (var r in rows)
        {
            var reason = r.State == JobStates.Pending ? loop.WaitReason(r.Id) ?? r.Reason : r.Reason;
            table.Append($"<tr class=\"state-{E(r.State)}\" data-job=\"{r.Id}\"><td><a href=\"/jobs/{r.Id}\">{r.Id}</a></td><td>{E(r.Name)}</td><td>{E(r.Tenant)}</td><td>{StateBadge(r.State)}</td>" +
                $"<td>{E(r.Priority)}</td><td>{I(r.Gpus)}</td><td>{E(r.Site)}</td><td>{TimeTag(r.SubmitUnix)}</td><td class=\"reason\">{E(reason)}</td></tr>");
        }
        table.Append("</tbody></table>");
        if (rows.Count == 0)
        {
            table.Append("<p>No jobs match.</p>");
        }
        table.Append("<nav class=\"pager\" aria-label=\"Pages\">");
        if (!string.IsNullOrEmpty(q.Before))
        {
            table.Append($"<a href=\"/jobs{Html.Query(("state", q.State), ("tenant", q.Tenant), ("priority", q.Priority), ("name", q.Name))}\">« Newest</a> ");
        }
        if (rows.Count == PageSize)
        {
            table.Append($"<a rel=\"next\" href=\"/jobs{Html.Query(("state", q.State), ("tenant", q.Tenant), ("priority", q.Priority), ("name", q.Name), ("before", I(rows[^1].Id)))}\">Older »</a>");
        }
        table.Append("</nav>");
        html.Append(Layout.Live(url, table.ToString()));
        return html.ToString();
    }

    private static string Select(string name, string label, IEnumerable<string> values, string? selected)
    {
        var html = new StringBuilder($"<label>{E(label)} <select name=\"{name}\"><option value=\"\">any</option>");
        foreach (var v in values)
        {
            html.Append($"<option{(string.Equals(v, selected, StringComparison.OrdinalIgnoreCase) ? " selected" : "")}>{E(v)}</option>");
        }
        return html.Append("</select></label>").ToString();
    }
}
