using System.Text;
using Serai.Server.Control;
using static Serai.Server.Dashboard.Html;

namespace Serai.Server.Dashboard.Pages;

/// <summary>Pages 2–4 for one site: IT power against each limit with event marks, cooling (PUE against temperature), energy.</summary>
public static class SitePage
{
    public static readonly int[] RangesHours = [1, 6, 24, 168];

    public static async Task<string> RenderAsync(Viewer viewer, SiteNow site, int hours, SeriesStore store, DashboardQueries queries, long nowUnix, CancellationToken cancellationToken)
    {
        var from = nowUnix - hours * 3600L;
        var samples = await store.RangeAsync(site.Name, from, nowUnix, cancellationToken);
        var events = await queries.EventsAsync(site.Name, viewer.OnlyTenant, from, nowUnix, cancellationToken);
        var name = Uri.EscapeDataString(site.Name);
        var html = new StringBuilder();
        html.Append("<nav class=\"ranges\" aria-label=\"Time range\"><ul>");
        foreach (var h in RangesHours)
        {
            html.Append($"<li><a href=\"/sites/{name}?hours={h}\"{(h == hours ? " aria-current=\"true\"" : "")}>{(h < 24 ? $"{h} h" : $"{h / 24} d")}</a></li>");
        }
        html.Append("</ul></nav>");
        html.Append($"<p class=\"summary\">Now: IT {Watts(site.ItWatts)} · cap {Watts(site.ItCapWatts)} · limit {Watts(site.ItLimitWatts)} · PUE {N(site.Pue, 2)} at {N(site.OutdoorTemperatureC)} °C</p>");
        html.Append("<section aria-labelledby=\"power-h\"><h2 id=\"power-h\">Site power</h2>");
        html.Append("<p>IT power against the IT cap, the cooling capacity at the outdoor temperature, and the grid connection ÷ PUE. " +
            "Marks: <span class=\"key throttle\">throttle</span> <span class=\"key preempt\">preemption</span> <span class=\"key defer\">deferral</span>.</p>");
        html.Append(Chart("power", site.Name, hours, "IT power in kW against each limit over time"));
        html.Append("</section>");
        html.Append("<section aria-labelledby=\"cooling-h\"><h2 id=\"cooling-h\">Cooling</h2><div class=\"two\">");
        html.Append(Chart("cooling", site.Name, hours, "PUE and outdoor temperature over time"));
        html.Append($"<figure>{Svg.Scatter(samples.Select(s => (s.OutdoorC, s.Pue)).ToList(), "outdoor temperature °C", "PUE")}<figcaption>PUE against outdoor temperature, {samples.Count} samples</figcaption></figure>");
        html.Append("</div></section>");
        html.Append("<section aria-labelledby=\"energy-h\"><h2 id=\"energy-h\">Energy</h2>");
        html.Append("<p><span class=\"badge modelled\">modelled</span> Carbon intensity and price come from the hub file's models (no measured feed is connected).</p>");
        html.Append(Chart("energy", site.Name, hours, "carbon intensity and price over time, modelled"));
        html.Append("</section>");
        html.Append($"<section aria-labelledby=\"events-h\"><h2 id=\"events-h\">Events ({events.Count})</h2>");
        html.Append("<table><thead><tr><th scope=\"col\">Time</th><th scope=\"col\">Kind</th><th scope=\"col\">Job</th><th scope=\"col\">Message</th></tr></thead><tbody>");
        foreach (var e in events.TakeLast(50).Reverse())
        {
            html.Append($"<tr><td>{TimeTag(e.AtUnix)}</td><td><span class=\"key {E(e.Kind)}\">{E(e.Kind)}</span></td><td>{(e.JobId is { } id ? $"<a href=\"/jobs/{id}\">{id}</a>" : "")}</td><td>{E(e.Message)}</td></tr>");
        }
        html.Append("</tbody></table></section>");
        return html.ToString();
    }

    private static string Chart(string kind, string site, int hours, string label) =>
        $"<figure class=\"chart-box\"><div class=\"chart\" data-chart=\"{kind}\" data-site=\"{E(site)}\" data-hours=\"{hours}\" role=\"img\" aria-label=\"{E(label)}\"></div>" +
        $"<figcaption>{E(label)} (<a href=\"/api/v1/sites/{Uri.EscapeDataString(site)}/series\" class=\"data-link\">data</a>)</figcaption></figure>";
}
