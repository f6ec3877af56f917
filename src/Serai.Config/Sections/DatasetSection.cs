using Serai.Config.Reading;
using Serai.Core.Model;

namespace Serai.Config.Sections;

/// <summary>
/// <c>datasets:</c> owner, size, home site, the countries where the data may be processed (residency), the other
/// tenants granted its use with their purpose (<c>grants</c>), and whether it holds personal data (<c>personalData</c>).
/// </summary>
internal static class DatasetSection
{
    private static readonly string[] Keys = ["name", "owner", "sizeGb", "homeSite", "allowedCountries", "grants", "personalData"];
    private static readonly string[] GrantKeys = ["tenant", "purpose"];

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
        var grants = Grants(map, context, owner);
        var personal = map.Bool("personalData", false);
        if (home is { } h && countries is { } mask && sites[h] is { } site && (mask & site.CountryMask) == 0)
        {
            map.Errors.Add(map.Get("homeSite")!, map.Field("homeSite"), $"{homeName} (in {site.Country})",
                $"a site in one of the dataset's allowedCountries ({string.Join(", ", context.Countries.Where((_, i) => (mask & (1UL << i)) != 0))})");
            return null;
        }
        if (name is null || owner is null || size is null || home is null || countries is null || grants is null || personal is null)
        {
            return null;
        }
        return new Dataset(index, name, owner.Value, size.Value, home.Value, countries.Value) { Grants = grants, PersonalData = personal.Value };
    }

    /// <summary><c>grants:</c> a list of {tenant, purpose}; each tenant once, never the owner.</summary>
    private static DatasetGrant[]? Grants(MapReader map, LoadContext context, int? owner)
    {
        if (!map.Has("grants"))
        {
            return [];
        }
        var items = map.List("grants", required: false, "a list of grants, each with tenant and purpose");
        if (items is null)
        {
            return null;
        }
        var grants = new List<DatasetGrant>();
        var ok = true;
        for (var i = 0; i < items.Count; i++)
        {
            var grant = MapReader.Open(items[i], $"{map.Field("grants")}[{i}]", context.Errors, GrantKeys);
            if (grant is null)
            {
                ok = false;
                continue;
            }
            var tenantName = grant.Text("tenant", required: true, context.Tenants.Known);
            var tenant = tenantName is null ? null : context.Tenants.Resolve(tenantName, grant.Get("tenant")!, grant.Field("tenant"));
            var purpose = grant.Text("purpose", required: true, "why the tenant may use the data (text, at most 256 characters)");
            if (purpose is { Length: 0 or > 256 })
            {
                grant.Errors.Add(grant.Get("purpose")!, grant.Field("purpose"), purpose, "why the tenant may use the data (text, 1 to 256 characters)");
                purpose = null;
            }
            if (tenant is { } t && (t == owner || grants.Any(g => g.Tenant == t)))
            {
                grant.Errors.Add(grant.Get("tenant")!, grant.Field("tenant"), tenantName!, t == owner ? "a tenant other than the owner (the owner may always use its data)" : "a tenant granted once");
                tenant = null;
            }
            if (tenant is null || purpose is null)
            {
                ok = false;
                continue;
            }
            grants.Add(new DatasetGrant(tenant.Value, purpose));
        }
        return ok ? [.. grants] : null;
    }
}
