namespace Serai.Simulation.Metrics;

/// <summary>One site over one hour: weather, PUE, power drawn against its limits, busy GPUs; a row of sites.csv.</summary>
public sealed class SiteHour
{
    public long HourUnix { get; init; }
    public int Site { get; init; }
    public double OutdoorC { get; set; }
    public double Pue { get; set; }
    public double CarbonGPerKwh { get; set; }
    public double PriceUsdPerKwh { get; set; }
    public double ItCapWatts { get; set; }
    public double ItLimitWatts { get; set; }
    public double GridWatts { get; set; }
    public double IdleItWatts { get; init; }
    public int GpusTotal { get; init; }
    public double ItJoules { get; set; }
    public double FacilityJoules { get; set; }
    public double BusyGpuSeconds { get; set; }
    public long Seconds { get; set; }
    public double ItWattsMax { get; set; }
    public double FacilityWattsMax { get; set; }
    public int GpusBusyMax { get; set; }

    public double ItWattsMean => Seconds > 0 ? ItJoules / Seconds : 0;
    public double FacilityWattsMean => Seconds > 0 ? FacilityJoules / Seconds : 0;
    public double Utilisation => Seconds > 0 && GpusTotal > 0 ? BusyGpuSeconds / (GpusTotal * (double)Seconds) : 0;
}

/// <summary>The hub at the turn of an hour: jobs pending and running, GPUs busy.</summary>
public readonly record struct HubHour(long HourUnix, int Pending, int Running, int GpusBusy);
