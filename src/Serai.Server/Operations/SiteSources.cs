namespace Serai.Server.Operations;

/// <summary>
/// Where a site's figures come from now: `measured` (a fresh feed), `modelled` (the hub config's model), `stale` (the
/// feed stopped: the model with the safety margin) or `override` (an operator's value); the last readings; the
/// operator's override in force; nodes suspended or resuming to keep the site within its envelope.
/// </summary>
public sealed record SiteSources(
    string Temperature,
    string ItPower,
    string FacilityPower,
    double? MeasuredTemperatureC,
    double? MeasuredItWatts,
    double? MeasuredFacilityWatts,
    long? LastReadingUnix,
    OverrideValues? Override,
    long? OverrideUntilUnix)
{
    /// <summary>Idle nodes suspended to keep the site within its envelope (drawing their suspended power).</summary>
    public int SuspendedNodes { get; init; }

    /// <summary>Nodes resuming: idle power again, taking work once their resume time is over.</summary>
    public int ResumingNodes { get; init; }

    public static SiteSources Of(SiteFeeds feeds, int site, OperatorState.ActiveOverride? op, long nowUnix, FeedOptions options)
    {
        var t = feeds.Temperature(site);
        var it = feeds.ItWatts(site);
        var f = feeds.FacilityWatts(site);
        var temperature = op?.Values.TemperatureC is not null ? FeedSources.Override : SiteFeeds.Source(t, nowUnix, options.StaleAfterSeconds);
        long? last = new[] { t, it, f }.Where(m => m is not null).Select(m => (long?)m!.Value.AtUnix).DefaultIfEmpty(null).Max();
        return new SiteSources(temperature, SiteFeeds.Source(it, nowUnix, options.StaleAfterSeconds), SiteFeeds.Source(f, nowUnix, options.StaleAfterSeconds),
            t?.Value, it?.Value, f?.Value, last, op?.Values, op?.UntilUnix);
    }
}
