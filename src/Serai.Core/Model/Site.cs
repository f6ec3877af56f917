using Serai.Core.Energy;

namespace Serai.Core.Model;

/// <summary>
/// A data-centre site: its country, grid connection (facility watts), IT power cap, cooling model and the hourly
/// outdoor temperature, carbon intensity and price series that set its envelope hour by hour.
/// </summary>
public sealed record Site(
    int Index,
    string Name,
    string Country,
    int CountryBit,
    double UtcOffsetHours,
    double GridWatts,
    double ItCapWatts,
    CoolingModel Cooling,
    HourlySeries TemperatureC,
    HourlySeries CarbonGPerKwh,
    HourlySeries PriceUsdPerKwh,
    int[] PoolIndexes)
{
    public ulong CountryMask => 1UL << CountryBit;

    /// <summary>Highest IT power the site can carry at this outdoor temperature: IT cap, cooling capacity and grid / PUE.</summary>
    public double ItLimitWatts(double outdoorC, double itCapWatts, double gridWatts) =>
        Math.Min(itCapWatts, Math.Min(Cooling.CapacityAt(outdoorC), gridWatts / Cooling.Pue(outdoorC)));
}
