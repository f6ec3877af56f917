namespace Serai.Core.State;

/// <summary>A site's envelope at one instant: weather, PUE, carbon, price, the limits and the IT power drawn now.</summary>
public readonly record struct SiteConditions(
    double TemperatureC,
    double Pue,
    double CarbonGPerKwh,
    double PriceUsdPerKwh,
    double ItCapWatts,
    double GridWatts,
    double CoolingCapacityWatts,
    double ItWatts,
    bool Down)
{
    /// <summary>Highest IT power allowed now: the IT cap, the cooling capacity, and the grid connection over PUE.</summary>
    public double ItLimitWatts => Down ? 0 : Math.Min(ItCapWatts, Math.Min(CoolingCapacityWatts, GridWatts / Pue));

    public double FacilityWatts => ItWatts * Pue;
}

/// <summary>What an operator or a scenario changed at a site: a lower cap (grid event), a heat offset, an outage.</summary>
public sealed record SiteOverride(double? ItCapWatts = null, double? GridWatts = null, double TemperatureOffsetC = 0, bool Down = false);
