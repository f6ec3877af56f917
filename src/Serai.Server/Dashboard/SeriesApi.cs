using System.Globalization;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Serai.Server.Apis;
using Serai.Server.Auth;
using Serai.Server.Control;

namespace Serai.Server.Dashboard;

/// <summary>`/api/v1/sites/{name}/series?from&amp;to`: a site's sampled history with throttle, preemption and deferral marks.</summary>
public static class SeriesApi
{
    /// <summary>Longest range one request may ask for.</summary>
    public const long MaxRangeSeconds = 31 * 86400;

    /// <summary>Default range when from is not given.</summary>
    public const long DefaultRangeSeconds = 6 * 3600;

    /// <summary>The samples of [from, to], the events to mark, and which fields are modelled rather than measured.</summary>
    public sealed record SiteSeries(string Site, long FromUnix, long ToUnix, double SampleSeconds, IReadOnlyList<string> Modelled, IReadOnlyList<SiteSample> Samples, IReadOnlyList<ChartEvent> Events);

    public static RouteGroupBuilder MapSeriesApi(this RouteGroupBuilder api)
    {
        api.MapGet("/sites/{name}/series", GetAsync).WithTags("Sites").WithName("GetSiteSeries")
            .WithSummary("A site's history: IT power against each limit, PUE, temperature, carbon, price (from/to: Unix seconds or ISO 8601; default the last 6 hours)");
        return api;
    }

    private static async Task<Results<Ok<SiteSeries>, ValidationProblem, NotFound<ProblemDetails>>> GetAsync(
        HttpContext context, string name, string? from, string? to, ControlLoop loop, HubHolder hubs, SeriesStore store, DashboardQueries queries,
        DashboardOptions options, TimeProvider time)
    {
        var site = hubs.Hub.Sites.FirstOrDefault(s => string.Equals(s.Name, name, StringComparison.OrdinalIgnoreCase));
        if (site is null)
        {
            return TypedResults.NotFound(new ProblemDetails { Status = 404, Title = "site not found", Detail = $"name: no site '{ApiIds.Trim(name)}' in this hub" });
        }
        var errors = new FieldErrors();
        var now = time.GetUtcNow().ToUnixTimeSeconds();
        var toUnix = Instant(to, "to", now, errors);
        var fromUnix = Instant(from, "from", toUnix - DefaultRangeSeconds, errors);
        if (!errors.Any && toUnix <= fromUnix)
        {
            errors.Add("to", $"{toUnix} is not after from={fromUnix}; the range must not be empty");
        }
        if (!errors.Any && toUnix - fromUnix > MaxRangeSeconds)
        {
            errors.Add("from", $"the range {toUnix - fromUnix} s is too long; at most {MaxRangeSeconds} s (31 days)");
        }
        if (errors.Any)
        {
            return errors.ToProblem("invalid series query");
        }
        var caller = Caller.From(context.User);
        var samples = (await store.RangeAsync(site.Name, fromUnix, toUnix, context.RequestAborted)).ToList();
        // the chart ends at the live state, not at the last sample
        var snapshot = loop.Snapshot;
        if (snapshot.AtUnix > 0 && now >= fromUnix && now <= toUnix && (samples.Count == 0 || samples[^1].AtUnix < now))
        {
            samples.AddRange(SeriesSampler.From(snapshot with { AtUnix = now }, hubs.Hub).Where(s => s.Site == site.Name));
        }
        var events = await queries.EventsAsync(site.Name, caller.IsAdmin ? null : caller.Tenant, fromUnix, toUnix, context.RequestAborted);
        return TypedResults.Ok(new SiteSeries(site.Name, fromUnix, toUnix, options.SampleSeconds, ["carbonGPerKwh", "priceUsdPerKwh", "outdoorC"], samples, events));
    }

    /// <summary>Unix seconds or an ISO 8601 instant; otherwise an error naming the field.</summary>
    public static long Instant(string? text, string field, long fallback, FieldErrors errors)
    {
        if (text is null)
        {
            return fallback;
        }
        if (long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var unix) && unix >= 0 && unix < 253402300800)
        {
            return unix;
        }
        if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var instant))
        {
            return instant.ToUnixTimeSeconds();
        }
        errors.Add(field, $"'{ApiIds.Trim(text)}' is not an instant; give Unix seconds (0 or more) or ISO 8601, e.g. 2026-07-15T12:00:00Z");
        return fallback;
    }
}
