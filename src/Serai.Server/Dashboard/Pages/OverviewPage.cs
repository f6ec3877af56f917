using System.Text;
using Serai.Server.Control;
using static Serai.Server.Dashboard.Html;

namespace Serai.Server.Dashboard.Pages;

/// <summary>Page 1: a tile per site with GPUs by model, power against cap and grid, weather, energy, jobs and recent events.</summary>
public static class OverviewPage
{
    public static async Task<string> RenderAsync(Viewer viewer, HubSnapshot snapshot, DashboardQueries queries, long nowUnix, CancellationToken cancellationToken)
    {
        var counts = await queries.JobCountsAsync(viewer.OnlyTenant, cancellationToken);
        var events = await queries.RecentEventCountsAsync(viewer.OnlyTenant, nowUnix - 3600, cancellationToken);
        var pending = counts.Where(c => c.Key.State == "pending").Sum(c => c.Value);
        var html = new StringBuilder();
        html.Append($"<p class=\"summary\">{(viewer.OnlyTenant is null ? "Hub" : "Your jobs")}: <strong>{I(pending)}</strong> pending, " +
            $"<strong>{I(counts.Where(c => c.Key.State == "running").Sum(c => c.Value))}</strong> running · last hour: " +
            $"{I(Total(events, "throttle"))} throttled, {I(Total(events, "preempt"))} preempted, {I(Total(events, "defer"))} deferred · as of {TimeTag(snapshot.AtUnix)}</p>");
        html.Append("<div class=\"tiles\">");
        foreach (var site in snapshot.Sites)
        {
            html.Append(Tile(site, counts, events));
        }
        html.Append("</div>");
        return html.ToString();
    }

    /// <summary>Where a figure comes from, when it is not the model: measured, stale (the model with a safety margin) or an operator's override.</summary>
    private static string Source(string? source) => source is null or "modelled" ? "" : $" <small class=\"source\">({E(source)})</small>";

    // deferred jobs are pending and have no site yet: the hub-wide figure counts them all
    private static long Total(IReadOnlyDictionary<(string Site, string Kind), long> events, string kind) => events.Where(e => e.Key.Kind == kind).Sum(e => e.Value);

    private static string Tile(SiteNow s, IReadOnlyDictionary<(string Site, string State), long> counts, IReadOnlyDictionary<(string Site, string Kind), long> events)
    {
        long Count(string state) => counts.GetValueOrDefault((s.Name, state));
        long Events(string kind) => events.GetValueOrDefault((s.Name, kind));
        var html = new StringBuilder();
        html.Append($"<section class=\"tile\" aria-labelledby=\"site-{E(s.Name)}\" data-site=\"{E(s.Name)}\">");
        html.Append($"<h2 id=\"site-{E(s.Name)}\"><a href=\"/sites/{Uri.EscapeDataString(s.Name)}\">{E(s.Name)}</a> <small>{E(s.Country)}</small>{(s.Down ? " <span class=\"badge bad\">✗ down</span>" : "")}</h2>");
        html.Append("<dl class=\"power\">");
        html.Append($"<dt>IT power</dt><dd class=\"it-power\"><span class=\"value\">{Watts(s.ItWatts)}</span> of cap <span class=\"cap\">{Watts(s.ItCapWatts)}</span>" +
            $"{Source(s.Sources?.ItPower)}{Svg.Meter(s.ItWatts, s.ItCapWatts, $"IT power {Watts(s.ItWatts)} of cap {Watts(s.ItCapWatts)}")}</dd>");
        html.Append($"<dt>Limit now</dt><dd>{Watts(s.ItLimitWatts)} <small>(cap, cooling, grid ÷ PUE)</small></dd>");
        html.Append($"<dt>Facility power</dt><dd><span class=\"value\">{Watts(s.FacilityWatts)}</span> of grid {Watts(s.GridWatts)}" +
            $"{Svg.Meter(s.FacilityWatts, s.GridWatts, $"facility power {Watts(s.FacilityWatts)} of grid connection {Watts(s.GridWatts)}")}</dd>");
        html.Append("</dl><dl class=\"facts\">");
        html.Append($"<dt>Outdoor</dt><dd>{N(s.OutdoorTemperatureC)} °C{Source(s.Sources?.Temperature)}</dd><dt>PUE</dt><dd>{N(s.Pue, 2)}{Source(s.Sources?.FacilityPower)}</dd>");
        html.Append($"<dt>Carbon</dt><dd>{N(s.CarbonGPerKwh, 0)} g/kWh</dd><dt>Price</dt><dd>{N(s.PriceUsdPerKwh, 3)} $/kWh</dd>");
        html.Append($"<dt>Running</dt><dd>{I(Count("running") + Count("starting") + Count("admitted"))}</dd><dt>Stopping</dt><dd>{I(Count("stopping"))}</dd>");
        html.Append($"<dt>Last hour</dt><dd>{I(Events("throttle"))} throttled, {I(Events("preempt"))} preempted, {I(Events("defer"))} deferred</dd>");
        html.Append("</dl>");
        if (s.Gpus.Count == 0)
        {
            html.Append("<p>No GPU pools at this site.</p></section>");
            return html.ToString();
        }
        html.Append("<table class=\"gpus\"><caption>GPUs by model</caption><thead><tr><th scope=\"col\">Vendor</th><th scope=\"col\">Model</th><th scope=\"col\">Used</th><th scope=\"col\">Free</th><th scope=\"col\"><span class=\"sr-only\">use</span></th></tr></thead><tbody>");
        foreach (var g in s.Gpus)
        {
            html.Append($"<tr><td>{E(g.Vendor)}</td><td>{E(g.Model)}</td><td>{I(g.Used)}</td><td>{I(g.Free)}</td><td>{Svg.Meter(g.Used, g.Total, $"{g.Used} of {g.Total} {g.Model} used")}</td></tr>");
        }
        html.Append("</tbody></table></section>");
        return html.ToString();
    }
}
