using System.Text;
using Serai.Server.Auth;
using static Serai.Server.Dashboard.Html;

namespace Serai.Server.Dashboard;

/// <summary>Who is looking at a page, and the anti-forgery token its forms and htmx requests send back.</summary>
public sealed record Viewer(Caller Caller, string CsrfToken)
{
    /// <summary>The tenant whose data a query is limited to; null for the admin (everything).</summary>
    public string? OnlyTenant => Caller.IsAdmin ? null : Caller.Tenant;
}

/// <summary>The page around every dashboard view: head with the vendored scripts, navigation, the signed-in user.</summary>
public static class Layout
{
    private static readonly (string Href, string Label)[] Nav =
    [
        ("/", "Overview"), ("/capacity", "Capacity"), ("/queue", "Queue"), ("/jobs", "Jobs"), ("/tenants", "Tenants"),
        ("/ai-systems", "AI systems"), ("/audit", "Audit"),
    ];

    public static string Page(string title, string activeHref, Viewer? viewer, string body)
    {
        var html = new StringBuilder();
        html.Append("<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">");
        html.Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">");
        // htmx must not inject its indicator <style>: the CSP allows only the stylesheets served from this host
        html.Append("<meta name=\"htmx-config\" content='{\"includeIndicatorStyles\":false,\"allowEval\":false,\"historyCacheSize\":0}'>");
        html.Append($"<title>{E(title)} · Serai</title>");
        html.Append("<link rel=\"stylesheet\" href=\"/vendor/uPlot.min.css\"><link rel=\"stylesheet\" href=\"/dashboard.css\">");
        html.Append("<script src=\"/vendor/htmx.min.js\" defer></script><script src=\"/vendor/uPlot.iife.min.js\" defer></script><script src=\"/dashboard.js\" defer></script>");
        html.Append("</head>");
        html.Append(viewer is null ? "<body>" : $"<body hx-headers='{{\"{DashboardSessions.CsrfHeader}\":\"{E(viewer.CsrfToken)}\"}}'>");
        html.Append("<a class=\"skip\" href=\"#main\">Skip to content</a>");
        html.Append("<header class=\"top\"><a class=\"brand\" href=\"/\">Serai</a>");
        if (viewer is not null)
        {
            html.Append("<nav aria-label=\"Main\"><ul>");
            foreach (var (href, label) in Nav)
            {
                html.Append($"<li><a href=\"{href}\"{(href == activeHref ? " aria-current=\"page\"" : "")}>{E(label)}</a></li>");
            }
            html.Append("</ul></nav>");
            html.Append($"<form class=\"who\" method=\"post\" action=\"/signout\"><span>{E(viewer.Caller.IsAdmin ? "admin" : "tenant " + viewer.Caller.Tenant)}</span>");
            html.Append($"<input type=\"hidden\" name=\"{DashboardSessions.CsrfField}\" value=\"{E(viewer.CsrfToken)}\"><button type=\"submit\">Sign out</button></form>");
            html.Append("<span id=\"live-status\" class=\"live-status\" role=\"status\">connecting…</span>");
        }
        html.Append("</header>");
        html.Append($"<main id=\"main\" tabindex=\"-1\"><h1>{E(title)}</h1>{body}</main></body></html>");
        return html.ToString();
    }

    /// <summary>A region htmx reloads from the same URL on each server-sent tick (or every 15 s as the fallback).</summary>
    public static string Live(string url, string content) =>
        $"<div id=\"live\" hx-get=\"{E(url)}\" hx-trigger=\"serai:tick from:body, every 15s\" hx-select=\"#live\" hx-swap=\"outerHTML\">{content}</div>";
}
