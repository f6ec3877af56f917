using System.Text;
using Serai.Core.Model;
using static Serai.Server.Dashboard.Html;

namespace Serai.Server.Dashboard.Pages;

/// <summary>Page 10a: the AI-system registry with risk classes and approvals; the admin approves from here.</summary>
public static class RegistryPage
{
    public static string Render(Viewer viewer, HubModel hub, AiSystemRegistry aiSystems, string? notice)
    {
        var html = new StringBuilder();
        if (notice is not null)
        {
            html.Append($"<p class=\"notice\" role=\"status\">{E(notice)}</p>");
        }
        html.Append("<p>High-risk systems run only once the admin approves them.</p>");
        html.Append("<table><thead><tr><th scope=\"col\">System</th><th scope=\"col\">Owner</th><th scope=\"col\">Risk</th><th scope=\"col\">Approved</th><th scope=\"col\">May run</th><th scope=\"col\"><span class=\"sr-only\">Action</span></th></tr></thead><tbody>");
        foreach (var a in aiSystems.Systems.Where(a => viewer.Caller.MaySee(hub.Tenants[a.OwnerTenant].Name)))
        {
            var action = viewer.Caller.IsAdmin && !a.Approved
                ? $"<form method=\"post\" action=\"/ai-systems/{Uri.EscapeDataString(a.Id)}/approve\"><input type=\"hidden\" name=\"{DashboardSessions.CsrfField}\" value=\"{E(viewer.CsrfToken)}\"><button type=\"submit\">Approve {E(a.Id)}</button></form>"
                : "";
            html.Append($"<tr data-system=\"{E(a.Id)}\"><th scope=\"row\">{E(a.Id)}</th><td>{E(hub.Tenants[a.OwnerTenant].Name)}</td><td>{E(a.Risk.ToString().ToLowerInvariant())}</td>" +
                $"<td>{(a.Approved ? "✓ yes" : "no")}</td><td>{(a.MayRun ? "yes" : "<span class=\"badge warn\">waits for approval</span>")}</td><td>{action}</td></tr>");
        }
        return html.Append("</tbody></table>").ToString();
    }
}
