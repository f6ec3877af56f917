using Serai.Server.Auth;
using Serai.Server.Control;

namespace Serai.Server.Apis;

/// <summary>`/api/v1/datasets`: datasets with their owner, home site and where they may be processed (a tenant sees its own).</summary>
public static class DatasetsApi
{
    /// <summary>A dataset as the API shows it.</summary>
    public sealed record DatasetView(string Name, string Owner, double SizeGb, string HomeSite, IReadOnlyList<string> AllowedCountries);

    public static RouteGroupBuilder MapDatasetsApi(this RouteGroupBuilder api)
    {
        api.MapGet("/datasets", (HttpContext context, HubHolder hubs) =>
        {
            var caller = Caller.From(context.User);
            var hub = hubs.Hub;
            return TypedResults.Ok(hub.Datasets
                .Where(d => caller.MaySee(hub.Tenants[d.OwnerTenant].Name))
                .Select(d => new DatasetView(d.Name, hub.Tenants[d.OwnerTenant].Name, d.SizeGb, hub.Sites[d.HomeSite].Name,
                    hub.CountryNames(d.AllowedCountriesMask).Split(',', StringSplitOptions.RemoveEmptyEntries)))
                .ToList());
        }).WithTags("Datasets").WithSummary("Datasets and their residency").WithName("ListDatasets").ProducesProblem(StatusCodes.Status401Unauthorized);
        return api;
    }
}
