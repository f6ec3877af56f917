using Serai.Core.Model;
using Serai.Server.Auth;
using Serai.Server.Control;

namespace Serai.Server.Apis;

/// <summary>
/// `/api/v1/datasets`: datasets with their owner, home site, where they may be processed and who else may use them. A
/// tenant sees the datasets it owns (with all their grants) and those granted to it (with its own grant only).
/// </summary>
public static class DatasetsApi
{
    /// <summary>A dataset as the API shows it.</summary>
    public sealed record DatasetView(string Name, string Owner, double SizeGb, string HomeSite, IReadOnlyList<string> AllowedCountries, IReadOnlyList<GrantView> Grants);

    /// <summary>A tenant other than the owner that may use the dataset, and what for.</summary>
    public sealed record GrantView(string Tenant, string Purpose);

    public static RouteGroupBuilder MapDatasetsApi(this RouteGroupBuilder api)
    {
        api.MapGet("/datasets", (HttpContext context, HubHolder hubs) =>
        {
            var caller = Caller.From(context.User);
            var hub = hubs.Hub;
            var tenant = caller.Tenant is null ? null : hub.TenantIndex(caller.Tenant);
            return TypedResults.Ok(hub.Datasets
                .Where(d => caller.IsAdmin || tenant is { } t && d.MayUse(t))
                .Select(d => View(hub, d, caller.IsAdmin || tenant == d.OwnerTenant ? null : tenant))
                .ToList());
        }).WithTags("Datasets").WithSummary("Datasets the caller may use: residency and grants").WithName("ListDatasets")
            .ProducesProblem(StatusCodes.Status401Unauthorized);
        return api;
    }

    /// <summary>The dataset; a grantee (<paramref name="onlyGrantOf"/>) sees its own grant, not the others'.</summary>
    private static DatasetView View(HubModel hub, Dataset d, int? onlyGrantOf) =>
        new(d.Name, hub.Tenants[d.OwnerTenant].Name, d.SizeGb, hub.Sites[d.HomeSite].Name,
            hub.CountryNames(d.AllowedCountriesMask).Split(',', StringSplitOptions.RemoveEmptyEntries),
            [.. d.Grants.Where(g => onlyGrantOf is null || g.Tenant == onlyGrantOf).Select(g => new GrantView(hub.Tenants[g.Tenant].Name, g.Purpose))]);
}
