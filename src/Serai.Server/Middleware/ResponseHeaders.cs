namespace Serai.Server.Middleware;

/// <summary>
/// Headers on every answer of the server: no MIME sniffing, and no caching of API answers, which carry tokens (a
/// created token), jobs and usage that are one caller's. Kestrel's Server header is turned off where Kestrel is set up.
/// </summary>
public static class ResponseHeaders
{
    public static IApplicationBuilder UseSeraiResponseHeaders(this IApplicationBuilder app) =>
        app.Use((context, next) =>
        {
            context.Response.OnStarting(() =>
            {
                var headers = context.Response.Headers;
                headers.XContentTypeOptions = "nosniff";
                headers.Remove("Server");
                if (context.Request.Path.StartsWithSegments("/api", StringComparison.OrdinalIgnoreCase)
                    || context.Request.Path.StartsWithSegments("/signin", StringComparison.OrdinalIgnoreCase))
                {
                    headers.CacheControl = "no-store";
                    headers.Pragma = "no-cache";
                }
                return Task.CompletedTask;
            });
            return next(context);
        });
}
