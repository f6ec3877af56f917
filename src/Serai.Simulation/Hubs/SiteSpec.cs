using Serai.Core.Energy;

namespace Serai.Simulation.Hubs;

/// <summary>
/// Climate, carbon and price figures of a place (FACTS.md), from which a site's hourly series are generated: the sites
/// of hubs built in code (the ITP hub, tests). The Central Asia region's own figures are in hubs/central-asia.yaml.
/// </summary>
public sealed record Climate(string Name, string Country, double UtcOffsetHours, double[] MonthlyMeanC, double[] DailyRangeC, double CarbonGPerKwh, double PriceUsdPerKwh)
{
    public HourlySeries Temperature() => SeriesGenerators.Temperature(MonthlyMeanC, DailyRangeC, UtcOffsetHours);

    public HourlySeries Carbon() => SeriesGenerators.Carbon(CarbonGPerKwh, 0.08, 0.1, UtcOffsetHours);

    public HourlySeries Price() => SeriesGenerators.Price(PriceUsdPerKwh, 1.6, 8, 22, UtcOffsetHours);

    private static readonly double[] ContinentalRange = [8, 8, 9, 11, 12, 13, 13, 13, 12, 10, 8, 8];

    /// <summary>Astana, station 35188: January −14.2 °C, July 20.8 °C; Kazakhstan grid 592 g/kWh (Electricity Maps), 0.058 USD/kWh.</summary>
    public static readonly Climate Astana = new("Astana", "KZ", 5, [-14.2, -13.0, -6.0, 5.0, 13.0, 18.5, 20.8, 18.5, 12.0, 4.0, -5.0, -11.5], ContinentalRange, 592, 0.058);

    /// <summary>Pavlodar / Ekibastuz: close to Astana's climate (record 42 °C); same grid.</summary>
    public static readonly Climate Ekibastuz = new("Ekibastuz", "KZ", 5, [-15.0, -14.0, -7.0, 6.0, 14.0, 19.5, 21.5, 19.0, 12.5, 4.5, -5.5, -12.5], ContinentalRange, 592, 0.058);

    /// <summary>Termez (Surkhandarya): January about 3 °C, July about 31 °C (daily highs 41–42 °C); the hot site.</summary>
    public static readonly Climate Termez = new("Termez", "UZ", 5, [3.0, 5.5, 11.5, 18.0, 24.0, 29.5, 31.5, 29.5, 23.0, 16.0, 9.0, 4.5], [10, 11, 12, 14, 15, 16, 17, 17, 16, 14, 11, 10], 472, 0.076);
}
