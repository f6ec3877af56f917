using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Serai.Server.Auth;
using Serai.Server.Control;

namespace Serai.Server.Apis;

/// <summary>`/api/v1/tokens`: list (a tenant sees its own), create (admin) and revoke API tokens; a revoked token stops working within a second.</summary>
public static class TokensApi
{
    /// <summary>Body of a token creation.</summary>
    public sealed record CreateTokenBody(string? Tenant = null, bool? Admin = null, string? Label = null, string? Expires = null);

    /// <summary>A new token: the secret is shown only in this answer.</summary>
    public sealed record NewToken(string Id, string? Tenant, bool Admin, string? Label, long? ExpiresUnix, string Token);

    public const string ExpiryFormats = "a number of days (30d), hours (12h), or an ISO 8601 date and time";

    public static RouteGroupBuilder MapTokensApi(this RouteGroupBuilder api)
    {
        var tokens = api.MapGroup("/tokens").WithTags("Tokens");
        tokens.MapGet("/", async (HttpContext context, TokenStore store) =>
        {
            var caller = Caller.From(context.User);
            return TypedResults.Ok(await store.ListAsync(caller.IsAdmin ? null : caller.Tenant ?? "", context.RequestAborted));
        }).WithSummary("API tokens (ids, owners, expiry; never the secrets); a tenant sees its own")
            .WithName("ListTokens").ProducesProblem(StatusCodes.Status401Unauthorized);
        tokens.MapPost("/", CreateAsync).Accepts<CreateTokenBody>("application/json").ProducesValidationProblem()
            .RequireAuthorization(Caller.AdminPolicy).WithSummary("Create an API token for a tenant or the admin, optionally expiring (admin)")
            .WithName("CreateToken").ProducesProblem(StatusCodes.Status401Unauthorized).ProducesProblem(StatusCodes.Status403Forbidden);
        tokens.MapDelete("/{id}", RevokeAsync).WithSummary("Revoke a token by its id; it stops working within a second (a tenant revokes its own)")
            .WithName("RevokeToken").ProducesProblem(StatusCodes.Status401Unauthorized);
        return api;
    }

    private static async Task<Results<Created<NewToken>, ValidationProblem>> CreateAsync(HttpContext context, TokenStore store, HubHolder hubs, TimeProvider time)
    {
        var (body, invalid) = await JsonBody.ReadAsync(context, "invalid token request");
        if (invalid is not null)
        {
            return invalid;
        }
        if (body.ValueKind != JsonValueKind.Object)
        {
            return FieldErrors.One("body", $"expected a JSON object, got {body.ValueKind}", "invalid token request");
        }
        var errors = new FieldErrors();
        var f = new JsonFields(body, errors);
        f.RejectUnknown(["tenant", "admin", "label", "expires"]);
        var tenant = f.Text("tenant", 128);
        var admin = f.Boolean("admin") ?? false;
        var label = f.Text("label", 128);
        var expiresText = f.Text("expires", 64);
        var now = time.GetUtcNow();
        long? expires = null;
        if (expiresText is not null && (expires = Expiry(expiresText, now)) is null)
        {
            errors.Add("expires", $"'{ApiIds.Trim(expiresText)}' is not an expiry in the future; allowed: {ExpiryFormats}");
        }
        if ((tenant is null) == !admin)
        {
            errors.Add("tenant", "give either tenant (a tenant's token) or admin: true (another admin token)");
        }
        else if (tenant is not null)
        {
            if (hubs.Hub.TenantIndex(tenant) is { } index)
            {
                tenant = hubs.Hub.Tenants[index].Name;
            }
            else
            {
                errors.Add("tenant", $"'{ApiIds.Trim(tenant)}' is not a tenant of this hub; allowed: {string.Join(", ", hubs.Hub.Tenants.Select(t => t.Name))}");
            }
        }
        if (errors.Any)
        {
            return errors.ToProblem("invalid token request");
        }
        label ??= $"{tenant ?? "admin"} (api)";
        var secret = await store.CreateAsync(tenant, admin, label, expiresUnix: expires);
        var id = TokenStore.IdOf(secret);
        return TypedResults.Created($"/api/v1/tokens/{id}", new NewToken(id, tenant, admin, label, expires, secret));
    }

    private static async Task<Results<Ok<TokenInfo>, NotFound<ProblemDetails>>> RevokeAsync(HttpContext context, string id, TokenStore store)
    {
        var caller = Caller.From(context.User);
        var revoked = await store.RevokeAsync(id, t => caller.IsAdmin || (!t.Admin && t.Tenant is not null && caller.MaySee(t.Tenant)), context.RequestAborted);
        return revoked is null
            ? TypedResults.NotFound(new ProblemDetails { Status = 404, Title = "token not found", Detail = $"no token '{ApiIds.Trim(id)}' visible to this token; ids are the 12 characters `serai token list` shows" })
            : TypedResults.Ok(revoked);
    }

    /// <summary>`30d`, `12h`, or a date and time (ISO 8601); null when it is not one or not in the future.</summary>
    public static long? Expiry(string text, DateTimeOffset now)
    {
        long? at = null;
        if (text.Length > 1 && text[^1] is 'd' or 'h' && int.TryParse(text[..^1], NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n is > 0 and <= 36500)
        {
            at = (text[^1] == 'd' ? now.AddDays(n) : now.AddHours(n)).ToUnixTimeSeconds();
        }
        else if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var date))
        {
            at = date.ToUnixTimeSeconds();
        }
        return at > now.ToUnixTimeSeconds() ? at : null;
    }
}
