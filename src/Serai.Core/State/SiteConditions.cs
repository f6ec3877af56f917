namespace Serai.Core.State;

/// <summary>
/// A site's envelope at one instant: weather, PUE, carbon, price, the limits and the IT power drawn now. A site that is
/// <see cref="Down"/> has lost its power (its limit is 0); one that is <see cref="Unreachable"/> runs on but cannot be
/// told anything: neither takes new work.
/// </summary>
public readonly record struct SiteConditions(
    double TemperatureC,
    double Pue,
    double CarbonGPerKwh,
    double PriceUsdPerKwh,
    double ItCapWatts,
    double GridWatts,
    double CoolingCapacityWatts,
    double ItWatts,
    bool Down,
    bool Unreachable = false)
{
    /// <summary>Nothing new is placed at the site: it is down or its manager cannot be reached.</summary>
    public bool ClosedToNewWork => Down || Unreachable;

    /// <summary>Highest IT power allowed now: the IT cap, the cooling capacity, and the grid connection over PUE.</summary>
    public double ItLimitWatts => Down ? 0 : Math.Min(ItCapWatts, Math.Min(CoolingCapacityWatts, GridWatts / Pue));

    public double FacilityWatts => ItWatts * Pue;
}

/// <summary>
/// What an operator, a scenario or a live feed changed at a site: a lower cap (grid event), a heat offset, an outage;
/// a measured outdoor temperature (<see cref="TemperatureC"/>, instead of the model's plus the offset), a measured PUE
/// (facility over IT power, instead of PUE(T)), and IT power the model does not account for (<see cref="ExtraItWatts"/>:
/// measured IT power less the modelled one at the reading).
/// </summary>
public sealed record SiteOverride(double? ItCapWatts = null, double? GridWatts = null, double TemperatureOffsetC = 0, bool Down = false)
{
    public double? TemperatureC { get; init; }
    public double? Pue { get; init; }
    public double ExtraItWatts { get; init; }
}
