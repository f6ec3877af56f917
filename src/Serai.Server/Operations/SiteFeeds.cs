using Serai.Core.State;

namespace Serai.Server.Operations;

/// <summary>One measured value and when it was measured.</summary>
public readonly record struct Measured(double Value, long AtUnix);

/// <summary>
/// The last measured conditions of each site, as a building-management system or a script posts them: outdoor
/// temperature, IT power and facility power, each with its own time. IT power is kept as what the model does not
/// account for (measured less modelled at the reading), so that jobs started or stopped since move it as the model says.
/// </summary>
public sealed class SiteFeeds(int sites)
{
    private readonly Measured?[] _temperature = new Measured?[sites];
    private readonly Measured?[] _itWatts = new Measured?[sites];
    private readonly Measured?[] _facilityWatts = new Measured?[sites];
    private readonly double[] _extraItWatts = new double[sites];

    public Measured? Temperature(int site) => _temperature[site];
    public Measured? ItWatts(int site) => _itWatts[site];
    public Measured? FacilityWatts(int site) => _facilityWatts[site];

    /// <summary>Records a reading; <paramref name="modelledItWatts"/> is the model's IT power at the site now.</summary>
    public void Record(int site, long atUnix, double? temperatureC, double? itWatts, double? facilityWatts, double modelledItWatts)
    {
        if (temperatureC is { } t)
        {
            _temperature[site] = new Measured(t, atUnix);
        }
        if (itWatts is { } it)
        {
            _itWatts[site] = new Measured(it, atUnix);
            _extraItWatts[site] = it - modelledItWatts;
        }
        if (facilityWatts is { } f)
        {
            _facilityWatts[site] = new Measured(f, atUnix);
        }
    }

    /// <summary>Where a figure comes from now.</summary>
    public static string Source(Measured? value, long nowUnix, long staleAfterSeconds) =>
        value is not { } v ? FeedSources.Modelled : nowUnix - v.AtUnix > staleAfterSeconds ? FeedSources.Stale : FeedSources.Measured;

    /// <summary>
    /// A site's override from the operator's values and the feed: the operator's temperature, else a fresh measured one,
    /// else the model's (plus the stale margin when the feed has gone stale, plus the operator's offset); a measured PUE
    /// from fresh IT and facility readings unless the operator set the temperature; measured IT power beyond the model
    /// while fresh. Null when nothing differs from the model.
    /// </summary>
    public SiteOverride? Compose(int site, bool down, OverrideValues? op, long nowUnix, FeedOptions options)
    {
        var temperatureSource = Source(_temperature[site], nowUnix, options.StaleAfterSeconds);
        var itSource = Source(_itWatts[site], nowUnix, options.StaleAfterSeconds);
        var facilitySource = Source(_facilityWatts[site], nowUnix, options.StaleAfterSeconds);
        double? temperature = op?.TemperatureC ?? (temperatureSource == FeedSources.Measured ? _temperature[site]!.Value.Value : null);
        var offset = (op?.TemperatureOffsetC ?? 0) + (temperature is null && temperatureSource == FeedSources.Stale ? options.StaleMarginC : 0);
        double? pue = op?.TemperatureC is null && itSource == FeedSources.Measured && facilitySource == FeedSources.Measured
            && _itWatts[site]!.Value.Value > 0
            ? Math.Max(1, _facilityWatts[site]!.Value.Value / _itWatts[site]!.Value.Value)
            : null;
        var extra = itSource == FeedSources.Measured ? _extraItWatts[site] : 0;
        var o = new SiteOverride(op?.ItCapWatts, op?.GridWatts, offset, down) { TemperatureC = temperature, Pue = pue, ExtraItWatts = extra };
        return o == Nothing ? null : o;
    }

    private static readonly SiteOverride Nothing = new();
}

/// <summary>How fresh a live feed must be, and the safety margin once it is not.</summary>
public sealed record FeedOptions(long StaleAfterSeconds, double StaleMarginC);

/// <summary>Where a site's figure comes from.</summary>
public static class FeedSources
{
    public const string Measured = "measured";
    public const string Modelled = "modelled";
    public const string Stale = "stale";
    public const string Override = "override";
}
