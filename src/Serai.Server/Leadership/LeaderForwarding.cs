using System.Net;
using Microsoft.AspNetCore.Authentication;

namespace Serai.Server.Leadership;

/// <summary>
/// On a standby every request but <c>/healthz</c>, <c>/metrics</c> and the OpenAPI document goes to the leader as it
/// came (method, path, headers, body) and its answer comes back as it is: the leader authenticates, validates and
/// answers from its own state, so a client sees one hub whichever server it reaches. A bearer token that fails is
/// refused by the standby itself, so that failed authentications count against the client's address, not the standby's. While nobody leads (a failover)
/// or the leader does not answer, the standby answers 503 with <c>Retry-After: 1</c>; nothing was changed.
/// </summary>
public static class LeaderForwarding
{
    /// <summary>Set on a forwarded request (the standby's address): a server never forwards a request twice.</summary>
    public const string ForwardedByHeader = "X-Serai-Forwarded-By";

    private static readonly HashSet<string> HopByHop = new(StringComparer.OrdinalIgnoreCase)
    {
        "Connection", "Keep-Alive", "Proxy-Authenticate", "Proxy-Authorization", "Proxy-Connection", "TE", "Trailer", "Transfer-Encoding", "Upgrade", "Host",
    };

    private static readonly HttpClient Leader = new(new SocketsHttpHandler
    {
        AllowAutoRedirect = false,
        UseCookies = false,
        UseProxy = false,
        AutomaticDecompression = DecompressionMethods.None,
        ConnectTimeout = TimeSpan.FromSeconds(2),
        PooledConnectionLifetime = TimeSpan.FromMinutes(1),
    })
    { Timeout = Timeout.InfiniteTimeSpan }; // log follows and the event stream last; the client's abort ends them

    public static IApplicationBuilder UseLeaderForwarding(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        var leadership = context.RequestServices.GetRequiredService<ServerLeadership>();
        if (leadership.Role == ServerRole.Leader || ServedHere(context.Request.Path) || await RefusedHereAsync(context).ConfigureAwait(false))
        {
            await next(context).ConfigureAwait(false);
            return;
        }
        await ForwardAsync(context, leadership).ConfigureAwait(false);
    });

    /// <summary>
    /// A bearer token that fails here (unknown, revoked, expired, or its client over the limit of failed
    /// authentications) is answered here, 401 or 429, counted against the client's own address. Forwarded, every client
    /// of this standby would reach the leader from one address (this server's), and one client's failures would lock
    /// them all out there.
    /// </summary>
    private static async Task<bool> RefusedHereAsync(HttpContext context)
    {
        if (!context.Request.Headers.ContainsKey("Authorization"))
        {
            return false;
        }
        var result = await context.AuthenticateAsync().ConfigureAwait(false); // the handler's result is kept for the request
        return !result.Succeeded;
    }

    private static bool ServedHere(PathString path) =>
        path.StartsWithSegments("/healthz", StringComparison.Ordinal) || path.StartsWithSegments("/metrics", StringComparison.Ordinal)
        || path.StartsWithSegments("/openapi", StringComparison.Ordinal);

    private static async Task ForwardAsync(HttpContext context, ServerLeadership leadership)
    {
        var leader = leadership.LeaderUrl;
        if (leader is null || context.Request.Headers.ContainsKey(ForwardedByHeader))
        {
            await UnavailableAsync(context, leader is null
                ? "no server leads the hub at this moment (a standby takes over within seconds); nothing was changed"
                : "this server does not lead the hub and will not forward a forwarded request; nothing was changed").ConfigureAwait(false);
            return;
        }
        using var request = new HttpRequestMessage(new HttpMethod(context.Request.Method), leader + context.Request.PathBase + context.Request.Path + context.Request.QueryString);
        if (context.Request.ContentLength > 0 || context.Request.Headers.TransferEncoding.Count > 0)
        {
            request.Content = new StreamContent(context.Request.Body);
        }
        foreach (var (name, values) in context.Request.Headers)
        {
            if (!HopByHop.Contains(name) && !request.Headers.TryAddWithoutValidation(name, (IEnumerable<string?>)values))
            {
                request.Content?.Headers.TryAddWithoutValidation(name, (IEnumerable<string?>)values);
            }
        }
        request.Headers.TryAddWithoutValidation(ForwardedByHeader, leadership.Url);
        request.Headers.TryAddWithoutValidation("X-Forwarded-For", context.Connection.RemoteIpAddress?.ToString());
        HttpResponseMessage response;
        try
        {
            response = await Leader.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, context.RequestAborted).ConfigureAwait(false);
        }
        catch (HttpRequestException e) when (e.InnerException is BadHttpRequestException bad)
        {
            throw bad; // the client's body broke the limit while it was sent on: its 413, not the leader's fault
        }
        catch (HttpRequestException e)
        {
            // refused before anything was sent: nothing happened; later, the leader may have done it before it died
            await UnavailableAsync(context, e.HttpRequestError == HttpRequestError.ConnectionError
                ? $"the leader at {leader} does not answer ({e.Message}); a standby takes over within seconds; nothing was changed"
                : $"the leader at {leader} stopped answering ({e.Message}): the request may or may not have been carried out; send it again with the same Idempotency-Key").ConfigureAwait(false);
            return;
        }
        using (response)
        {
            context.Response.StatusCode = (int)response.StatusCode;
            foreach (var (name, values) in response.Headers.Concat(response.Content.Headers))
            {
                if (!HopByHop.Contains(name))
                {
                    context.Response.Headers[name] = values.ToArray();
                }
            }
            try
            {
                await response.Content.CopyToAsync(context.Response.Body, context.RequestAborted).ConfigureAwait(false);
            }
            catch (Exception e) when (e is IOException or HttpRequestException)
            {
                context.Abort(); // the leader went away mid-answer: the client sees a broken answer, never a truncated one as whole
            }
        }
    }

    private static Task UnavailableAsync(HttpContext context, string detail)
    {
        context.Response.Headers.RetryAfter = "1";
        return Results.Problem(detail, statusCode: StatusCodes.Status503ServiceUnavailable, title: "The hub's leader is not reachable from this server").ExecuteAsync(context);
    }
}
