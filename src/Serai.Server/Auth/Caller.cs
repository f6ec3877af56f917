using System.Security.Claims;

namespace Serai.Server.Auth;

/// <summary>Who is calling: the admin, or a tenant by name.</summary>
public sealed record Caller(string? Tenant, bool IsAdmin)
{
    public const string TenantClaim = "serai:tenant";
    public const string AdminRole = "admin";
    public const string AdminPolicy = "admin";

    public static Caller From(ClaimsPrincipal user) =>
        new(user.FindFirst(TenantClaim)?.Value, user.IsInRole(AdminRole));

    /// <summary>Whether this caller may see something owned by <paramref name="tenant"/>.</summary>
    public bool MaySee(string tenant) => IsAdmin || string.Equals(Tenant, tenant, StringComparison.OrdinalIgnoreCase);

    public string Name => IsAdmin ? "admin" : Tenant ?? "?";
}
