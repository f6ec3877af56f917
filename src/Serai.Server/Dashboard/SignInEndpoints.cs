using System.Text;
using Serai.Server.Auth;
using static Serai.Server.Dashboard.Html;

namespace Serai.Server.Dashboard;

/// <summary>
/// `/signin` and `/signout`: a pasted API token is exchanged (POST) for an HttpOnly, SameSite=Strict session cookie
/// holding a random session id. The sign-in form carries a double-submit anti-forgery value (cookie plus field).
/// </summary>
public static class SignInEndpoints
{
    private const string PreCsrfCookie = "serai_signin";

    public static IEndpointRouteBuilder MapSignIn(this IEndpointRouteBuilder app)
    {
        app.MapGet("/signin", (HttpContext context, string? error, string? @return) => Form(context, error, @return)).AllowAnonymous().ExcludeFromDescription();
        app.MapPost("/signin", SignInAsync).AllowAnonymous().DisableAntiforgery().ExcludeFromDescription();
        app.MapPost("/signout", (HttpContext context, DashboardSessions sessions) =>
        {
            // reached only with a valid anti-forgery field (the authentication handler checks it for cookie POSTs)
            sessions.Remove(context.Request.Cookies[DashboardSessions.CookieName]);
            context.Response.Cookies.Delete(DashboardSessions.CookieName);
            return Results.Redirect("/signin", preserveMethod: false);
        }).ExcludeFromDescription();
        return app;
    }

    private static IResult Form(HttpContext context, string? error, string? returnUrl)
    {
        var value = DashboardSessions.NewSecret();
        context.Response.Cookies.Append(PreCsrfCookie, value, Cookie(context, TimeSpan.FromMinutes(30)));
        var body = new StringBuilder();
        if (error is not null)
        {
            body.Append($"<p class=\"notice bad\" role=\"alert\" id=\"signin-error\">{E(error)}</p>");
        }
        body.Append("<form class=\"signin\" method=\"post\" action=\"/signin\">");
        body.Append($"<input type=\"hidden\" name=\"{DashboardSessions.CsrfField}\" value=\"{E(value)}\"><input type=\"hidden\" name=\"return\" value=\"{E(SafeReturn(returnUrl))}\">");
        body.Append("<label for=\"token\">API token</label><input id=\"token\" name=\"token\" type=\"password\" autocomplete=\"off\" required autofocus>");
        body.Append("<p class=\"hint\">The token that <code>serai serve</code> printed on first start (admin or tenant). It stays on the server: the browser gets only a session cookie.</p>");
        body.Append("<button type=\"submit\">Sign in</button></form>");
        return Results.Content(Layout.Page("Sign in", "", null, body.ToString()), "text/html; charset=utf-8");
    }

    private static async Task<IResult> SignInAsync(
        HttpContext context, TokenStore tokens, DashboardSessions sessions, DashboardOptions options, FailedAuthentications failures, ILogger<DashboardSessions> logger)
    {
        if (!context.Request.HasFormContentType)
        {
            return Problems.Field("body", "send the sign-in form (application/x-www-form-urlencoded) with the fields token and csrf", 415);
        }
        var form = await context.Request.ReadFormAsync(context.RequestAborted);
        if (!DashboardSessions.SameToken(form[DashboardSessions.CsrfField].ToString(), context.Request.Cookies[PreCsrfCookie]))
        {
            return Problems.Field("csrf", "missing or does not match the sign-in page's value; reload /signin and try again", 400);
        }
        var returnUrl = SafeReturn(form["return"].ToString());
        // a sign-in is an authentication: it shares the per-address limit with bearer tokens
        var address = FailedAuthentications.Key(context.Connection.RemoteIpAddress);
        if (failures.RefusedFor(address) is { } wait)
        {
            context.Response.Headers.RetryAfter = ((int)Math.Ceiling(Math.Max(1, wait.TotalSeconds))).ToString(System.Globalization.CultureInfo.InvariantCulture);
            return Problems.Field("token", "too many failed authentications from this address; try again later", 429);
        }
        var token = form["token"].ToString().Trim();
        var tokenKey = FailedAuthentications.TokenKey(token);
        if (failures.RefusedFor(tokenKey) is { } tokenWait)
        {
            failures.Fail(address);
            context.Response.Headers.RetryAfter = ((int)Math.Ceiling(Math.Max(1, tokenWait.TotalSeconds))).ToString(System.Globalization.CultureInfo.InvariantCulture);
            return Problems.Field("token", "too many failed authentications with this token; try again later", 429);
        }
        var caller = token.Length is > 0 and <= 256 ? tokens.Find(token) : null;
        if (caller is null)
        {
            failures.Fail(address);
            failures.Fail(tokenKey);
            logger.LogWarning("dashboard sign-in failed from {Address}: not a valid Serai API token", address);
            return Results.Redirect("/signin" + Html.Query(("error", "token: not a valid Serai API token"), ("return", returnUrl)));
        }
        var (id, _) = sessions.Create(caller);
        context.Response.Cookies.Delete(PreCsrfCookie);
        context.Response.Cookies.Append(DashboardSessions.CookieName, id, Cookie(context, TimeSpan.FromHours(options.SessionHours)));
        return Results.Redirect(returnUrl);
    }

    /// <summary>Only a local path may be a return address (no open redirect).</summary>
    public static string SafeReturn(string? url) =>
        url is { Length: > 0 and < 2048 } && url[0] == '/' && !url.StartsWith("//", StringComparison.Ordinal) && !url.StartsWith("/\\", StringComparison.Ordinal) ? url : "/";

    private static CookieOptions Cookie(HttpContext context, TimeSpan lifetime) => new()
    {
        HttpOnly = true,
        SameSite = SameSiteMode.Strict,
        Secure = context.Request.IsHttps,
        Path = "/",
        MaxAge = lifetime,
        IsEssential = true,
    };
}
