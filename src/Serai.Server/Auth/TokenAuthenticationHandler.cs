using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;
using Serai.Server.Dashboard;

namespace Serai.Server.Auth;

/// <summary>
/// Authenticates `Authorization: Bearer TOKEN` against the hashed API tokens, or else the dashboard's session cookie;
/// a cookie-authenticated request that changes something must also carry the session's anti-forgery token.
/// </summary>
public sealed class TokenAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder, TokenStore tokens, DashboardSessions sessions,
    FailedAuthentications failures)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "Bearer";

    private static readonly object RefusedKey = new();

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var header = Request.Headers.Authorization.ToString();
        if (string.IsNullOrEmpty(header))
        {
            return await FromCookieAsync().ConfigureAwait(false);
        }
        var address = FailedAuthentications.Key(Context.Connection.RemoteIpAddress);
        if (failures.RefusedFor(address) is { } wait)
        {
            Context.Items[RefusedKey] = (wait, "from this address");
            return AuthenticateResult.Fail("too many failed authentications from this address");
        }
        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return Failed(address, "the Authorization header is not 'Bearer TOKEN'");
        }
        var token = header["Bearer ".Length..].Trim();
        var tokenKey = FailedAuthentications.TokenKey(token);
        if (failures.RefusedFor(tokenKey) is { } tokenWait)
        {
            // counted against the address too: rotating tokens is not a way around the address's limit
            failures.Fail(address);
            Context.Items[RefusedKey] = (tokenWait, "with this token");
            return AuthenticateResult.Fail("too many failed authentications with this token");
        }
        var caller = tokens.Find(token);
        if (caller is not null)
        {
            return Success(caller);
        }
        if (failures.Fail(tokenKey))
        {
            Logger.LogWarning("a token (not logged) failed authentication too often and is refused for a while; last from {Address}", address);
        }
        return Failed(address, "unknown, revoked or expired token");
    }

    /// <summary>Counts and logs a failed authentication: the client's address and why, never what it sent.</summary>
    private AuthenticateResult Failed(string address, string why)
    {
        if (failures.Fail(address))
        {
            Logger.LogWarning("authentication failed from {Address}: {Why}; the address reached the limit of failed authentications and is refused for a while",
                address, why);
        }
        else
        {
            Logger.LogWarning("authentication failed from {Address} for {Method} {Path}: {Why}", address, Request.Method, Request.Path.Value, why);
        }
        return AuthenticateResult.Fail(why);
    }

    private async Task<AuthenticateResult> FromCookieAsync()
    {
        var session = sessions.Find(Request.Cookies[DashboardSessions.CookieName]);
        if (session is null)
        {
            return AuthenticateResult.NoResult();
        }
        if (!HttpMethods.IsGet(Request.Method) && !HttpMethods.IsHead(Request.Method))
        {
            var sent = Request.Headers[DashboardSessions.CsrfHeader].ToString();
            if (sent.Length == 0 && Request.HasFormContentType)
            {
                sent = (await Request.ReadFormAsync(Context.RequestAborted).ConfigureAwait(false))[DashboardSessions.CsrfField].ToString();
            }
            if (!DashboardSessions.SameToken(sent, session.CsrfToken))
            {
                return AuthenticateResult.Fail("missing or wrong anti-forgery token");
            }
        }
        Context.Items[typeof(DashboardSession)] = session;
        return Success(session.Caller);
    }

    private AuthenticateResult Success(Caller caller)
    {
        var claims = new List<Claim> { new(ClaimTypes.Name, caller.Name) };
        if (caller.Tenant is not null)
        {
            claims.Add(new Claim(Caller.TenantClaim, caller.Tenant));
        }
        if (caller.IsAdmin)
        {
            claims.Add(new Claim(ClaimTypes.Role, Caller.AdminRole));
        }
        var principal = new ClaimsPrincipal(new ClaimsIdentity(claims, SchemeName));
        return AuthenticateResult.Success(new AuthenticationTicket(principal, SchemeName));
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        if (Context.Items[RefusedKey] is (TimeSpan wait, string whose))
        {
            var seconds = (int)Math.Ceiling(Math.Max(1, wait.TotalSeconds));
            Response.StatusCode = StatusCodes.Status429TooManyRequests;
            Response.Headers.RetryAfter = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
            await Results.Problem(statusCode: 429, title: "Too many failed authentications",
                    detail: $"Authorization: too many failed authentications {whose}; try again in {seconds} s")
                .ExecuteAsync(Context).ConfigureAwait(false);
            return;
        }
        Response.StatusCode = StatusCodes.Status401Unauthorized;
        Response.Headers.WWWAuthenticate = "Bearer";
        await Results.Problem(statusCode: 401, title: "Unauthorized", detail: "send 'Authorization: Bearer TOKEN' with a valid Serai API token")
            .ExecuteAsync(Context).ConfigureAwait(false);
    }

    protected override async Task HandleForbiddenAsync(AuthenticationProperties properties) =>
        await Results.Problem(statusCode: 403, title: "Forbidden", detail: "this endpoint is for the hub admin; tenant tokens may not use it")
            .ExecuteAsync(Context).ConfigureAwait(false);
}
