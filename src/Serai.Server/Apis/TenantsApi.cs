using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Serai.Server.Auth;
using Serai.Server.Control;

namespace Serai.Server.Apis;

/// <summary>`/api/v1/tenants`: usage against quota and fair share (a tenant sees itself); token creation (admin).</summary>
public static class TenantsApi
{
    /// <summary>A new API token; the secret is shown only in this answer.</summary>
    public sealed record CreatedToken(string? Tenant, bool Admin, string Token);

    /// <summary>Body of a token request.</summary>
    public sealed record TokenBody(string? Label);

    public static RouteGroupBuilder MapTenantsApi(this RouteGroupBuilder api)
    {
        var tenants = api.MapGroup("/tenants").WithTags("Tenants");
        tenants.MapGet("/", (HttpContext context, ControlLoop loop) =>
        {
            var caller = Caller.From(context.User);
            return TypedResults.Ok(loop.Snapshot.Tenants.Where(t => caller.MaySee(t.Name)).ToList());
        }).WithSummary("Tenants' use against guarantees, borrowing limits and fair share")
            .WithName("ListTenants").ProducesProblem(StatusCodes.Status401Unauthorized);
        tenants.MapGet("/{name}", Results<Ok<TenantNow>, NotFound<ProblemDetails>> (HttpContext context, string name, ControlLoop loop) =>
            loop.Snapshot.Tenants.FirstOrDefault(t => string.Equals(t.Name, name, StringComparison.OrdinalIgnoreCase)) is { } tenant
                && Caller.From(context.User).MaySee(tenant.Name)
                ? TypedResults.Ok(tenant)
                : TypedResults.NotFound(new ProblemDetails { Status = 404, Title = "tenant not found", Detail = $"no tenant '{ApiIds.Trim(name)}' visible to this token" }))
            .WithSummary("One tenant's use").WithName("GetTenant").ProducesProblem(StatusCodes.Status401Unauthorized);
        tenants.MapPost("/{name}/tokens", CreateTokenAsync).RequireAuthorization(Caller.AdminPolicy).WithSummary("Create an API token for a tenant (admin)")
            .WithName("CreateTenantToken").ProducesProblem(StatusCodes.Status401Unauthorized).ProducesProblem(StatusCodes.Status403Forbidden);
        api.MapPost("/admin/tokens", async (TokenStore tokens) =>
            TypedResults.Created("/api/v1/admin/tokens", new CreatedToken(null, true, await tokens.CreateAsync(null, true, "admin (api)"))))
            .RequireAuthorization(Caller.AdminPolicy).WithTags("Tenants").WithSummary("Create another admin token (admin)")
            .WithName("CreateAdminToken").ProducesProblem(StatusCodes.Status401Unauthorized).ProducesProblem(StatusCodes.Status403Forbidden);
        return api.MapTokensApi();
    }

    private static async Task<Results<Created<CreatedToken>, NotFound<ProblemDetails>>> CreateTokenAsync(string name, HubHolder hubs, TokenStore tokens)
    {
        if (hubs.Hub.TenantIndex(name) is not { } index)
        {
            return TypedResults.NotFound(new ProblemDetails { Status = 404, Title = "tenant not found", Detail = $"no tenant '{ApiIds.Trim(name)}' in this hub" });
        }
        var tenant = hubs.Hub.Tenants[index].Name;
        var secret = await tokens.CreateAsync(tenant, false, $"{tenant} (api)");
        return TypedResults.Created($"/api/v1/tenants/{tenant}", new CreatedToken(tenant, false, secret));
    }
}
