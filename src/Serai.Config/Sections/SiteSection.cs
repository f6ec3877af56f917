using Serai.Config.Reading;
using Serai.Core.Model;

namespace Serai.Config.Sections;

/// <summary><c>sites:</c> each data-centre site with its country, power envelope, cooling, series and pools.</summary>
internal static class SiteSection
{
    private static readonly string[] Keys =
    [
        "name", "country", "utcOffsetHours", "gridMw", "itCapMw", "climate", "temperatureFile", "cooling",
        "carbon", "carbonFile", "price", "priceFile", "pools", "backend", "slurm",
    ];

    public static Site?[] Read(MapReader root, LoadContext context, List<NodePool?> pools)
    {
        var items = root.List("sites", required: true, "a list of sites, each with name, country, gridMw, itCapMw, climate, carbon, price, pools");
        context.Sites.Incomplete |= items is null;
        var sites = new Site?[items?.Count ?? 0];
        if (items is { Count: 0 })
        {
            root.Errors.Add(root.Get("sites")!, "sites", "(an empty list)", "at least one site");
        }
        for (var i = 0; i < sites.Length; i++)
        {
            var map = MapReader.Open(items![i], $"sites[{i}]", context.Errors, Keys);
            context.Sites.Incomplete |= map is null;
            if (map is not null)
            {
                sites[i] = Read(map, i, context, pools);
            }
        }
        return sites;
    }

    private static Site? Read(MapReader map, int index, LoadContext context, List<NodePool?> pools)
    {
        var name = context.Sites.Read(map, "name", index);
        var country = map.Text("country", required: true, Names.CountryAllowed);
        if (country is not null && !Names.IsCountry(country))
        {
            map.Errors.Add(map.Get("country")!, map.Field("country"), country, Names.CountryAllowed);
            country = null;
        }
        var countryBit = country is null ? -1 : context.CountryBit(country);
        context.CountriesIncomplete |= country is null;
        var utcOffset = map.Number("utcOffsetHours", NumberRule.Between(-12, 14, "hours from UTC"), 0);
        var gridMw = map.Number("gridMw", NumberRule.Positive("MW, the grid connection of the whole facility"));
        var itCapMw = map.Number("itCapMw", NumberRule.Positive("MW of IT power"));
        if (gridMw is { } grid && itCapMw is { } cap && cap > grid)
        {
            map.Errors.Add(map.Get("itCapMw")!, map.Field("itCapMw"), NumberRule.Format(cap), $"at most gridMw ({NumberRule.Format(grid)} MW)");
        }
        var cooling = CoolingSection.Read(map, itCapMw ?? 0);
        var offset = utcOffset ?? 0;
        var temperature = SeriesSection.Temperature(map, offset, context);
        var carbon = SeriesSection.Carbon(map, offset, context);
        var price = SeriesSection.Price(map, offset, context);
        var poolIndexes = PoolSection.Read(map, index, context, pools);
        SlurmSection.Read(map, name, [.. poolIndexes.Select(p => pools[p]).OfType<NodePool>().Select(p => (p.Name, p.Gpus))], context);
        if (name is null || country is null || gridMw is null || itCapMw is null || cooling is null
            || temperature is null || carbon is null || price is null)
        {
            return null;
        }
        return new Site(index, name, country, countryBit, offset, gridMw.Value * 1e6, itCapMw.Value * 1e6,
            cooling, temperature, carbon, price, poolIndexes);
    }
}
