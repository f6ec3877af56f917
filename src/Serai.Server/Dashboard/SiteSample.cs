namespace Serai.Server.Dashboard;

/// <summary>One site at one instant: power against each limit, cooling, energy and GPUs in use.</summary>
public sealed record SiteSample(
    string Site,
    long AtUnix,
    double ItWatts,
    double ItCapWatts,
    double CoolingLimitWatts,
    double GridItLimitWatts,
    double ItLimitWatts,
    double FacilityWatts,
    double GridWatts,
    double Pue,
    double OutdoorC,
    double CarbonGPerKwh,
    double PriceUsdPerKwh,
    long GpusUsed,
    long GpusTotal,
    bool Down);
