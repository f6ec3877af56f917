using System.Globalization;
using Serai.Server.Control;

namespace Serai.Server.Dashboard;

/// <summary>
/// `/events`: server-sent events for the dashboard. A `tick` is sent when the control loop publishes a changed
/// snapshot (checked every second), so pages reload their live regions; a comment every 15 s keeps proxies open.
/// </summary>
public static class EventsEndpoint
{
    public static IEndpointRouteBuilder MapDashboardEvents(this IEndpointRouteBuilder app)
    {
        app.MapGet("/events", StreamAsync).ExcludeFromDescription();
        return app;
    }

    private static async Task StreamAsync(HttpContext context, ControlLoop loop, CancellationToken cancellationToken)
    {
        context.Response.Headers.ContentType = "text/event-stream";
        context.Response.Headers.CacheControl = "no-cache";
        context.Response.Headers["X-Accel-Buffering"] = "no";
        await context.Response.WriteAsync("retry: 3000\n\n", cancellationToken);
        await context.Response.Body.FlushAsync(cancellationToken);
        object? last = null;
        var quiet = 0;
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                var s = loop.Snapshot;
                // what a page shows changes with these; the instant alone moves on every tick
                var now = (s.PendingJobs, s.RunningJobs, s.Counters.Placed, s.Counters.Completed, s.Counters.Preempted, s.Counters.Throttled, s.Counters.Deferred, s.Counters.Rejected,
                    s.Sites.Sum(x => x.ItWatts), s.AtUnix / 30);
                if (!now.Equals(last))
                {
                    last = now;
                    quiet = 0;
                    await context.Response.WriteAsync($"event: tick\ndata: {s.AtUnix.ToString(CultureInfo.InvariantCulture)}\n\n", cancellationToken);
                    await context.Response.Body.FlushAsync(cancellationToken);
                }
                else if (++quiet % 15 == 0)
                {
                    await context.Response.WriteAsync(": keep-alive\n\n", cancellationToken);
                    await context.Response.Body.FlushAsync(cancellationToken);
                }
                await Task.Delay(1000, cancellationToken);
            }
        }
        catch (OperationCanceledException)
        {
            // the browser went away
        }
    }
}
