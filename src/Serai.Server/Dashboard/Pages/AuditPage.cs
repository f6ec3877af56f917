using System.Text;
using Serai.Server.Apis;
using Serai.Server.Persistence;
using static Serai.Server.Dashboard.Html;

namespace Serai.Server.Dashboard.Pages;

/// <summary>Page 10b: the audit log, newest first, with filters (kind, job, tenant) in the URL and keyset paging.</summary>
public static class AuditPage
{
    public const int PageSize = 100;

    public static IReadOnlyList<string> Kinds => AuditStore.Kinds;

    /// <summary>The filters as given in the URL.</summary>
    public sealed record Query(string? Kind, string? Job, string? Tenant, string? Before);

    public static (long? JobId, long? Before, FieldErrors Errors) Parse(Query q, Serai.Core.Model.HubModel hub)
    {
        var errors = new FieldErrors();
        long? jobId = null;
        if (!string.IsNullOrEmpty(q.Job))
        {
            if (ApiIds.TryJobId(q.Job, out var id)) jobId = id;
            else errors.Add("job", ApiIds.JobIdError(q.Job));
        }
        if (!string.IsNullOrEmpty(q.Kind) && !Kinds.Contains(q.Kind))
        {
            errors.Add("kind", $"'{ApiIds.Trim(q.Kind)}' is not an audit kind; allowed: {string.Join(", ", Kinds)}");
        }
        if (!string.IsNullOrEmpty(q.Tenant) && hub.TenantIndex(q.Tenant) is null)
        {
            errors.Add("tenant", $"'{ApiIds.Trim(q.Tenant)}' is not a tenant of this hub");
        }
        var before = ApiIds.Cursor(string.IsNullOrEmpty(q.Before) ? null : q.Before, "before", errors);
        return (jobId, before, errors);
    }

    public static async Task<string> RenderAsync(Viewer viewer, Query q, long? jobId, long? before, AuditStore audit, CancellationToken cancellationToken)
    {
        var tenant = viewer.OnlyTenant ?? (string.IsNullOrEmpty(q.Tenant) ? null : q.Tenant);
        var items = await audit.ListAsync(tenant, jobId, string.IsNullOrEmpty(q.Kind) ? null : q.Kind, before, PageSize, cancellationToken);
        var html = new StringBuilder("<form class=\"filters\" method=\"get\" action=\"/audit\" role=\"search\" aria-label=\"Filter the audit log\">");
        html.Append("<label>Kind <select name=\"kind\"><option value=\"\">any</option>");
        foreach (var k in Kinds)
        {
            html.Append($"<option{(k == q.Kind ? " selected" : "")}>{E(k)}</option>");
        }
        html.Append("</select></label>");
        html.Append($"<label>Job <input name=\"job\" inputmode=\"numeric\" value=\"{E(q.Job)}\" size=\"8\"></label>");
        if (viewer.Caller.IsAdmin)
        {
            html.Append($"<label>Tenant <input name=\"tenant\" value=\"{E(q.Tenant)}\" size=\"12\"></label>");
        }
        html.Append("<button type=\"submit\">Filter</button> <a href=\"/audit\">Clear</a></form>");
        html.Append("<table><thead><tr><th scope=\"col\">#</th><th scope=\"col\">Time</th><th scope=\"col\">Kind</th><th scope=\"col\">Job</th><th scope=\"col\">Tenant</th><th scope=\"col\">Code</th><th scope=\"col\">Message</th></tr></thead><tbody>");
        foreach (var e in items)
        {
            html.Append($"<tr><td>{I(e.Id)}</td><td>{TimeTag(e.AtUnix)}</td><td><span class=\"key {E(e.Kind)}\">{E(e.Kind)}</span></td>" +
                $"<td>{(e.JobId is { } id ? $"<a href=\"/jobs/{id}\">{id}</a>" : "")}</td><td>{E(e.Tenant)}</td><td>{E(e.Code)}</td><td>{E(e.Message)}</td></tr>");
        }
        html.Append("</tbody></table><nav class=\"pager\" aria-label=\"Pages\">");
        if (items.Count == PageSize)
        {
            html.Append($"<a rel=\"next\" href=\"/audit{Html.Query(("kind", q.Kind), ("job", q.Job), ("tenant", q.Tenant), ("before", I(items[^1].Id)))}\">Older »</a>");
        }
        return html.Append("</nav>").ToString();
    }
}
