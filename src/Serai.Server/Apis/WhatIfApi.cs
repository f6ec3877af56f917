using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Serai.Core.Model;
using Serai.Runtime;
using Serai.Runtime.Forecast;
using Serai.Runtime.Lifecycle;
using Serai.Server.Auth;
using Serai.Server.Control;
using Serai.Server.Operations;

namespace Serai.Server.Apis;

/// <summary>
/// `POST /api/v1/whatif`: a scenario (heat wave, lowered cap, site down, vendor cut-off) over the next hours or days, run
/// on a copy of the live state against the same hours without it: which jobs would be throttled, preempted, moved or
/// delayed, and by how much. Nothing changes. A tenant token sees its own jobs; others are only counted.
/// </summary>
public static class WhatIfApi
{
    public const string HeatWave = "heat-wave";
    public const string Cap = "cap";
    public const string SiteDown = "site-down";
    public const string VendorCut = "vendor-cut";
    public const string Kinds = "heat-wave, cap, site-down, vendor-cut";
    public const int MaxChanges = 20;

    /// <summary>One job's fate under the scenario (times are Unix seconds).</summary>
    public sealed record ImpactView(long Job, string Tenant, string Effect, string? SiteBefore, string? SiteAfter, long? StartBefore, long? StartAfter,
        long? DelaySeconds, double? PowerFraction, long? AtUnix, double GpuHoursLost, string Text);

    /// <summary>The what-if's answer: the scenario in words, the jobs it affects, counts by effect.</summary>
    public sealed record WhatIfView(long NowUnix, long UntilUnix, IReadOnlyList<string> Scenario, IReadOnlyList<ImpactView> Jobs,
        int Throttled, int Preempted, int Moved, int Delayed, int OtherTenantsJobs, string Text);

    /// <summary>The body: `horizonSeconds` (default a day) and `changes`, each with `kind` and what it needs.</summary>
    public sealed record WhatIfBody(IReadOnlyList<ChangeBody> Changes, long? HorizonSeconds = null);

    /// <summary>One change: heat-wave (site, temperatureC or temperatureOffsetC), cap (site, itCapWatts and/or gridWatts), site-down (site), vendor-cut (vendor, mode); from `fromUnix` (default now) for `forSeconds` (default to the horizon).</summary>
    public sealed record ChangeBody(string Kind, string? Site = null, string? Vendor = null, double? TemperatureC = null, double? TemperatureOffsetC = null,
        double? ItCapWatts = null, double? GridWatts = null, string? Mode = null, long? FromUnix = null, long? ForSeconds = null);

    public static void Map(RouteGroupBuilder api) =>
        api.MapPost("/whatif", WhatIfAsync).Accepts<WhatIfBody>("application/json").WithTags("Operations")
            .WithSummary("What a heat wave, a lowered cap, a site down or a vendor cut-off would do to the jobs over the next hours; changes nothing")
            .WithName("WhatIf").ProducesValidationProblem().ProducesProblem(StatusCodes.Status401Unauthorized);

    private static async Task<Results<Ok<WhatIfView>, ValidationProblem>> WhatIfAsync(HttpContext context, HubHolder hubs, ForecastService forecasts, TimeProvider time)
    {
        var (body, invalid) = await JsonBody.ReadAsync(context, "invalid what-if");
        if (invalid is not null)
        {
            return invalid;
        }
        var errors = new FieldErrors();
        if (body.ValueKind != JsonValueKind.Object)
        {
            return FieldErrors.One("body", $"expected a JSON object, got {body.ValueKind}", "invalid what-if");
        }
        var f = new JsonFields(body, errors);
        f.RejectUnknown(["horizonSeconds", "changes"]);
        var horizon = f.Integer("horizonSeconds", 60, StartForecaster.MaxHorizonSeconds) ?? 86400;
        var now = time.GetUtcNow().ToUnixTimeSeconds();
        var parsed = new List<Change>();
        if (!body.TryGetProperty("changes", out var changes) || changes.ValueKind != JsonValueKind.Array)
        {
            errors.Add("changes", $"is required: an array of 1 to {MaxChanges} changes, each with kind ({Kinds})");
        }
        else if (changes.GetArrayLength() is < 1 or > MaxChanges)
        {
            errors.Add("changes", $"has {changes.GetArrayLength()} items; allowed 1..{MaxChanges}");
        }
        else
        {
            var i = 0;
            foreach (var item in changes.EnumerateArray())
            {
                if (Parse(item, $"changes[{i++}]", hubs.Hub, now, horizon, errors) is { } change)
                {
                    parsed.Add(change);
                }
            }
        }
        if (errors.Any)
        {
            return errors.ToProblem("invalid what-if");
        }
        var (at, impacts) = await forecasts.WhatIfAsync(image => [.. parsed.SelectMany(c => c.Steps(image))], horizon);
        var hub = hubs.Hub;
        var caller = Caller.From(context.User);
        var visible = impacts.Where(i => caller.MaySee(hub.Tenants[i.Tenant].Name)).ToList();
        var views = visible.Select(i => new ImpactView(i.Job, hub.Tenants[i.Tenant].Name, i.Effect, i.SiteBefore, i.SiteAfter, i.StartBefore, i.StartAfter,
            i.DelaySeconds, i.PowerFraction, i.AtUnix, i.GpuHoursLost, i.Text)).ToList();
        int Count(string effect) => views.Count(v => v.Effect == effect);
        var others = impacts.Count - visible.Count;
        var text = string.Create(CultureInfo.InvariantCulture,
            $"over the next {WhatIf.Duration(horizon)}: {Count(WhatIf.Throttled)} jobs throttled, {Count(WhatIf.Preempted)} preempted, {Count(WhatIf.Moved)} moved, {Count(WhatIf.Delayed)} delayed")
            + (others > 0 ? $" (and {others} jobs of other tenants affected)" : "") + "; nothing was changed";
        return TypedResults.Ok(new WhatIfView(at, at + horizon, [.. parsed.Select(c => c.Text)], views,
            Count(WhatIf.Throttled), Count(WhatIf.Preempted), Count(WhatIf.Moved), Count(WhatIf.Delayed), others, text));
    }

    /// <summary>A parsed change: its words and the steps it puts into a projection of an image.</summary>
    private sealed record Change(string Text, Func<LiveImage, IEnumerable<TimedChange>> Steps);

    private static Change? Parse(JsonElement item, string at, HubModel hub, long now, long horizon, FieldErrors errors)
    {
        if (item.ValueKind != JsonValueKind.Object)
        {
            errors.Add(at, $"expected an object with kind ({Kinds}), got {item.ValueKind}");
            return null;
        }
        var scoped = new FieldErrors();
        var f = new JsonFields(item, scoped);
        var kind = f.Text("kind", 32, required: true);
        var known = kind switch
        {
            HeatWave => new[] { "kind", "site", "temperatureC", "temperatureOffsetC", "fromUnix", "forSeconds" },
            Cap => ["kind", "site", "itCapWatts", "gridWatts", "fromUnix", "forSeconds"],
            SiteDown => ["kind", "site", "fromUnix", "forSeconds"],
            VendorCut => ["kind", "vendor", "mode", "fromUnix", "forSeconds"],
            _ => null,
        };
        if (kind is not null && known is null)
        {
            scoped.Add("kind", $"'{ApiIds.Trim(kind)}' is not a kind of change; allowed: {Kinds}");
        }
        if (known is not null)
        {
            f.RejectUnknown(known);
        }
        var fromUnix = f.Integer("fromUnix", now, now + horizon);
        var forSeconds = f.Integer("forSeconds", 60, StartForecaster.MaxHorizonSeconds);
        var shown = fromUnix ?? now;
        var window = $"from {(fromUnix is null ? "now" : ForecastApi.Time(shown))}{(forSeconds is { } fs ? $" until {ForecastApi.Time(shown + fs)}" : "")}";
        var from = new When(fromUnix, forSeconds);
        Change? change = null;
        if (kind is HeatWave or Cap or SiteDown)
        {
            var siteName = f.Text("site", 128, required: true);
            int? site = null;
            if (siteName is not null && (site = hub.SiteIndex(siteName)) is null)
            {
                scoped.Add("site", $"'{ApiIds.Trim(siteName)}' is not a site of this hub; allowed: {string.Join(", ", hub.Sites.Select(s => s.Name))}");
            }
            change = site is { } s ? kind switch
            {
                HeatWave => HeatWaveChange(f, scoped, hub, s, from, window),
                Cap => CapChange(f, scoped, hub, s, from, window),
                _ => new Change($"site {hub.Sites[s].Name} down {window}", image => Window(image, from, $"site {hub.Sites[s].Name} down",
                    r => r.SetSiteDown(s, true), r => r.SetSiteDown(s, image.Overrides[s].Down))),
            } : null;
        }
        else if (kind == VendorCut)
        {
            change = VendorChange(f, scoped, hub, from, window);
        }
        foreach (var (field, messages) in scoped.Fields)
        {
            foreach (var m in messages)
            {
                errors.Add($"{at}.{field}", m[(field.Length + 2)..]);
            }
        }
        return scoped.Any ? null : change;
    }

    private static Change? HeatWaveChange(JsonFields f, FieldErrors errors, HubModel hub, int s, When from, string window)
    {
        var absolute = f.Number("temperatureC", SiteFigureRanges.MinTemperatureC, SiteFigureRanges.MaxTemperatureC);
        var offset = f.Number("temperatureOffsetC", -40, 40);
        if ((absolute is null) == (offset is null))
        {
            errors.Add("temperatureC", "give either temperatureC (an outdoor temperature, -60..70 °C) or temperatureOffsetC (degrees added to the model, -40..40), one of them");
            return null;
        }
        var name = hub.Sites[s].Name;
        var what = absolute is { } t ? string.Create(CultureInfo.InvariantCulture, $"heat wave at {name}: {t:0.#} °C") : string.Create(CultureInfo.InvariantCulture, $"heat wave at {name}: {offset:+0.#;-0.#} °C on the model");
        return new Change($"{what} {window}", image => Window(image, from, what,
            r => r.SetOverride(s, absolute is { } a ? r.State.Override(s) with { TemperatureC = a } : r.State.Override(s) with { TemperatureOffsetC = r.State.Override(s).TemperatureOffsetC + offset!.Value }),
            r => r.SetOverride(s, r.State.Override(s) with { TemperatureC = image.Overrides[s].TemperatureC, TemperatureOffsetC = image.Overrides[s].TemperatureOffsetC })));
    }

    private static Change? CapChange(JsonFields f, FieldErrors errors, HubModel hub, int s, When from, string window)
    {
        var it = f.Number("itCapWatts", 0, SiteFigureRanges.MaxWatts);
        var grid = f.Number("gridWatts", 0, SiteFigureRanges.MaxWatts);
        if (it is null && grid is null)
        {
            errors.Add("itCapWatts", "give itCapWatts (IT power cap, W) or gridWatts (grid connection, W), or both");
            return null;
        }
        var what = string.Create(CultureInfo.InvariantCulture,
            $"cap at {hub.Sites[s].Name}:{(it is { } i ? $" IT {i / 1e6:0.###} MW" : "")}{(grid is { } g ? $" grid {g / 1e6:0.###} MW" : "")}");
        return new Change($"{what} {window}", image => Window(image, from, what,
            r => r.SetOverride(s, r.State.Override(s) with { ItCapWatts = it ?? r.State.Override(s).ItCapWatts, GridWatts = grid ?? r.State.Override(s).GridWatts }),
            r => r.SetOverride(s, r.State.Override(s) with { ItCapWatts = image.Overrides[s].ItCapWatts, GridWatts = image.Overrides[s].GridWatts })));
    }

    private static Change? VendorChange(JsonFields f, FieldErrors errors, HubModel hub, When from, string window)
    {
        var vendor = f.Text("vendor", 128, required: true);
        var mode = f.Text("mode", 16) ?? DrainModes.Finish;
        if (mode is not (DrainModes.Finish or DrainModes.Requeue))
        {
            errors.Add("mode", $"'{ApiIds.Trim(mode)}' is not a drain mode; allowed: {DrainModes.Allowed}");
        }
        if (vendor is null)
        {
            return null;
        }
        var (target, missing) = OperatorTarget.ResolveVendor(hub, vendor);
        if (target is null)
        {
            errors.Add("vendor", missing!);
            return null;
        }
        var pools = hub.Pools.Where(p => string.Equals(p.Accelerator.Vendor, target.Vendor, StringComparison.OrdinalIgnoreCase)).Select(p => p.Index).ToArray();
        var what = $"vendor {target.Vendor} cut off (running jobs {(mode == DrainModes.Requeue ? "requeued" : "finish")})";
        return new Change($"{what} {window}", image => Window(image, from, what, r =>
        {
            foreach (var p in pools)
            {
                r.SetPoolClosed(p, true);
                if (mode == DrainModes.Requeue)
                {
                    r.EvictPool(p, StopCause.VendorGone);
                }
            }
        }, r =>
        {
            foreach (var p in pools)
            {
                r.SetPoolClosed(p, image.Pools[p].Closed);
            }
        }));
    }

    /// <summary>When a change begins (default: the instant of the live state) and how long it lasts (default: past the horizon).</summary>
    private sealed record When(long? FromUnix, long? ForSeconds);

    private static IEnumerable<TimedChange> Window(LiveImage image, When when, string what, Action<HubRuntime> on, Action<HubRuntime> off)
    {
        var from = Math.Max(image.NowUnix, when.FromUnix ?? image.NowUnix);
        yield return new TimedChange(from, what, on);
        if (when.ForSeconds is { } seconds)
        {
            yield return new TimedChange(from + seconds, $"end of {what}", off);
        }
    }
}
