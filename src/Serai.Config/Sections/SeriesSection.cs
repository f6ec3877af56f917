using Serai.Config.Reading;
using Serai.Core.Energy;

namespace Serai.Config.Sections;

/// <summary>
/// The hourly series of a site: each is either generated from a few figures (<c>climate</c>, <c>carbon</c>,
/// <c>price</c>) or read from a CSV file of 8760 rows (<c>temperatureFile</c>, <c>carbonFile</c>, <c>priceFile</c>).
/// </summary>
internal static class SeriesSection
{
    public const double DefaultDailyRangeC = 10;
    public const string DefaultPeakHours = "08-22";

    public static HourlySeries? Temperature(MapReader site, double utcOffset, LoadContext context)
    {
        var rule = NumberRule.Between(-90, 70, "°C");
        var map = ModelOrFile(site, "climate", "temperatureFile", context, rule, out var fromFile, "monthlyMeanC", "dailyRangeC");
        if (map is null)
        {
            return fromFile;
        }
        var means = map.Numbers("monthlyMeanC", 12, rule, allowScalar: false, fallback: null);
        var ranges = map.Numbers("dailyRangeC", 12, NumberRule.Between(0, 40, "°C, daily high minus low"), allowScalar: true,
            Enumerable.Repeat(DefaultDailyRangeC, 12).ToArray());
        return means is null || ranges is null ? null : SeriesGenerators.Temperature(means, ranges, utcOffset);
    }

    public static HourlySeries? Carbon(MapReader site, double utcOffset, LoadContext context)
    {
        var rule = NumberRule.Between(0, 2000, "gCO2/kWh");
        var map = ModelOrFile(site, "carbon", "carbonFile", context, rule, out var fromFile, "meanGPerKwh", "middayDip", "springDip");
        if (map is null)
        {
            return fromFile;
        }
        var mean = map.Number("meanGPerKwh", rule);
        var midday = map.Number("middayDip", NumberRule.Between(0, 0.9, "fraction lower at local noon (solar)"), 0);
        var spring = map.Number("springDip", NumberRule.Between(0, 0.9, "fraction lower in April–June (snow-melt hydro)"), 0);
        return mean is null || midday is null || spring is null ? null : SeriesGenerators.Carbon(mean.Value, midday.Value, spring.Value, utcOffset);
    }

    public static HourlySeries? Price(MapReader site, double utcOffset, LoadContext context)
    {
        var rule = NumberRule.Between(0, 10, "USD/kWh");
        var map = ModelOrFile(site, "price", "priceFile", context, rule, out var fromFile, "meanUsdPerKwh", "peakRatio", "peakHours");
        if (map is null)
        {
            return fromFile;
        }
        var mean = map.Number("meanUsdPerKwh", rule);
        var ratio = map.Number("peakRatio", NumberRule.Between(1, 10, "peak price over off-peak price"), 1);
        var hours = PeakHours(map);
        return mean is null || ratio is null || hours is null ? null
            : SeriesGenerators.Price(mean.Value, ratio.Value, hours.Value.From, hours.Value.To, utcOffset);
    }

    private static (int From, int To)? PeakHours(MapReader map)
    {
        const string Allowed = "local hours \"HH-HH\" with 0 ≤ from < to ≤ 24, e.g. \"08-22\"";
        var text = map.Text("peakHours", required: false, Allowed) ?? (map.Has("peakHours") ? null : DefaultPeakHours);
        if (text is null)
        {
            return null;
        }
        var parts = text.Split('-');
        if (parts.Length == 2 && int.TryParse(parts[0], out var from) && int.TryParse(parts[1], out var to) && from >= 0 && from < to && to <= 24)
        {
            return (from, to);
        }
        map.Errors.Add(map.Get("peakHours")!, map.Field("peakHours"), text, Allowed);
        return null;
    }

    /// <summary>
    /// Opens the model mapping, or reads the series file into <paramref name="fromFile"/> and returns null. Exactly one
    /// of the two keys must be present.
    /// </summary>
    private static MapReader? ModelOrFile(MapReader site, string modelKey, string fileKey, LoadContext context, NumberRule rule,
        out HourlySeries? fromFile, params string[] modelKeys)
    {
        fromFile = null;
        var (hasModel, hasFile) = (site.Has(modelKey), site.Has(fileKey));
        if (hasModel && hasFile)
        {
            site.Errors.Add(site.Get(fileKey)!, site.Field(fileKey), ErrorSink.Show(site.Get(fileKey)), $"either {modelKey} or {fileKey}, not both");
            return null;
        }
        if (!hasModel && !hasFile)
        {
            site.Missing(modelKey, $"{modelKey}: {{{string.Join(", ", modelKeys)}}} or {fileKey}: a CSV file of 8760 hourly values");
            return null;
        }
        if (hasFile)
        {
            var path = site.Text(fileKey, required: true, "a CSV file path, relative to the config file");
            fromFile = path is null ? null : SeriesFile.Read(path, site.Get(fileKey)!, site.Field(fileKey), rule, context);
            return null;
        }
        return MapReader.Open(site.Get(modelKey)!, site.Field(modelKey), site.Errors, modelKeys);
    }
}
