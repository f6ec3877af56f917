using Serai.Config.Reading;
using Serai.Core.Model;

namespace Serai.Config.Sections;

/// <summary><c>datasets:</c> owner, size, home site and the countries where the data may be processed (residency).</summary>
internal static class DatasetSection
{
    private static readonly string[] Keys = ["name", "owner", "sizeGb", "homeSite", "allowedCountries"];

    public static Dataset?[] Read(MapReader root, LoadContext context, Site?[] sites)
    {
        var items = root.List("datasets", required: false, "a list of datasets, each with name, owner, sizeGb, homeSite");
        context.Datasets.Incomplete |= items is null;
        var datasets = new Dataset?[items?.Count ?? 0];
        for (var i = 0; i < datasets.Length; i++)
        {
            var map = MapReader.Open(items![i], $"datasets[{i}]", context.Errors, Keys);
            context.Datasets.Incomplete |= map is null;
            if (map is not null)
            {
                datasets[i] = Read(map, i, context, sites);
            }
        }
        return datasets;
    }

    private static Dataset? Read(MapReader map, int index, LoadContext context, Site?[] sites)
    {
        var name = context.Datasets.Read(map, "name", index);
        var ownerName = map.Text("owner", required: true, context.Tenants.Known);
        var owner = ownerName is null ? null : context.Tenants.Resolve(ownerName, map.Get("owner")!, map.Field("owner"));
        var size = map.Number("sizeGb", NumberRule.AtLeast(0, "GB"));
        var homeName = map.Text("homeSite", required: true, context.Sites.Known);
        var home = homeName is null ? null : context.Sites.Resolve(homeName, map.Get("homeSite")!, map.Field("homeSite"));
        var countries = context.CountryMask(map, "allowedCountries");
        if (home is { } h && countries is { } mask && sites[h] is { } site && (mask & site.CountryMask) == 0)
        {
            map.Errors.Add(map.Get("homeSite")!, map.Field("homeSite"), $"{homeName} (in {site.Country})",
                $"a site in one of the dataset's allowedCountries ({string.Join(", ", context.Countries.Where((_, i) => (mask & (1UL << i)) != 0))})");
            return null;
        }
        if (name is null || owner is null || size is null || home is null || countries is null)
        {
            return null;
        }
        return new Dataset(index, name, owner.Value, size.Value, home.Value, countries.Value);
    }
}
