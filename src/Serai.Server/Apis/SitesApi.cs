using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Serai.Server.Control;

namespace Serai.Server.Apis;

/// <summary>`/api/v1/sites`: each site now — GPUs free and used by model, IT power against its limit, temperature, PUE, carbon.</summary>
public static class SitesApi
{
    public static RouteGroupBuilder MapSitesApi(this RouteGroupBuilder api)
    {
        var sites = api.MapGroup("/sites").WithTags("Sites");
        sites.MapGet("/", (ControlLoop loop) => TypedResults.Ok(loop.Snapshot.Sites)).WithSummary("Every site's state now");
        sites.MapGet("/{name}", Results<Ok<SiteNow>, NotFound<ProblemDetails>> (string name, ControlLoop loop) =>
            loop.Snapshot.Sites.FirstOrDefault(s => string.Equals(s.Name, name, StringComparison.OrdinalIgnoreCase)) is { } site
                ? TypedResults.Ok(site)
                : TypedResults.NotFound(new ProblemDetails { Status = 404, Title = "site not found", Detail = $"no site '{ApiIds.Trim(name)}' in this hub" }))
            .WithSummary("One site's state now");
        return api;
    }
}
