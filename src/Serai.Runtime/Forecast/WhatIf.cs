using Serai.Runtime.Lifecycle;
using Serai.Scheduling;

namespace Serai.Runtime.Forecast;

/// <summary>What a scenario does to one job against the same hours without it: throttled, preempted, moved or delayed.</summary>
public sealed record JobImpact(
    long Job,
    int Tenant,
    string Effect,
    string? SiteBefore,
    string? SiteAfter,
    long? StartBefore,
    long? StartAfter,
    long? DelaySeconds,
    double? PowerFraction,
    long? AtUnix,
    double GpuHoursLost,
    string Text);

/// <summary>
/// A what-if on the live state: the hub is run forward twice from the same <see cref="LiveImage"/>, as it is and with
/// the scenario's changes, and each job's fate is compared. Nothing live changes.
/// </summary>
public static class WhatIf
{
    public const string Throttled = "throttled";
    public const string Preempted = "preempted";
    public const string Moved = "moved";
    public const string Delayed = "delayed";

    public static IReadOnlyList<JobImpact> Compare(LiveImage image, Func<ISchedulingPolicy> policy, IReadOnlyList<TimedChange> scenario, long untilUnix)
    {
        var baseline = new HubProjection(image, policy());
        baseline.Run(untilUnix);
        var changed = new HubProjection(image, policy(), changes: scenario);
        changed.Run(untilUnix);
        var hub = image.Hub;
        string? SiteOf(int? pool) => pool is { } p and >= 0 ? hub.Sites[hub.Pools[p].Site].Name : null;
        var impacts = new List<JobImpact>();
        foreach (var running in image.Running)
        {
            var spec = running.Spec;
            var b = baseline.Trace(spec.Id);
            var c = changed.Trace(spec.Id);
            var site = SiteOf(running.Placement.Pool);
            if (c?.FirstStopUnix is { } stopped && b?.FirstStopUnix is null)
            {
                var lost = spec.Checkpointable ? 0 : running.Placement.Gpus * Math.Max(0, stopped - running.StartUnix) / 3600.0;
                var after = c.Starts > 0 ? SiteOf(c.LastPool) : null;
                var restart = c.Starts > 0 ? $"; it starts again at {StartForecaster.Time(c.FirstStartUnix!.Value)} on {after}" : "; it does not start again within the horizon";
                var effect = after is not null && after != site ? Moved : Preempted;
                impacts.Add(new JobImpact(spec.Id.Value, spec.Tenant, effect, site, after, running.StartUnix, c.FirstStartUnix, null, null, stopped, lost,
                    $"job {spec.Id} on {site} is stopped at {StartForecaster.Time(stopped)} ({Words(c.FirstStopCause)}){restart}; {lost:0.#} GPU-hours lost"));
            }
            else if (c is not null && c.MinPowerFraction < (b?.MinPowerFraction ?? 1) - 1e-9 && c.MinPowerFraction < running.PowerFraction - 1e-9)
            {
                impacts.Add(new JobImpact(spec.Id.Value, spec.Tenant, Throttled, site, site, running.StartUnix, null, null, c.MinPowerFraction, c.FirstThrottleUnix, 0,
                    $"job {spec.Id} on {site} is throttled to {c.MinPowerFraction:P0} of TDP from {StartForecaster.Time(c.FirstThrottleUnix ?? image.NowUnix)}"));
            }
        }
        foreach (var waiting in image.Waiting)
        {
            var spec = waiting.Spec;
            var b = baseline.Trace(spec.Id);
            var c = changed.Trace(spec.Id);
            var startBefore = b?.FirstStartUnix;
            var startAfter = c?.FirstStartUnix;
            var siteBefore = SiteOf(b?.FirstPool);
            var siteAfter = SiteOf(c?.FirstPool);
            if (startBefore == startAfter && siteBefore == siteAfter)
            {
                continue;
            }
            var before = startBefore is { } sb ? $"{StartForecaster.Time(sb)} on {siteBefore}" : "not within the horizon";
            var afterText = startAfter is { } sa ? $"{StartForecaster.Time(sa)} on {siteAfter}" : "not within the horizon";
            long? delay = startBefore is { } x && startAfter is { } y ? y - x : startBefore is { } x2 ? untilUnix - x2 : null;
            var effect = siteBefore is not null && siteAfter is not null && siteBefore != siteAfter ? Moved : Delayed;
            if (effect == Delayed && delay is <= 0)
            {
                continue; // it starts as early or earlier: not harmed by the scenario
            }
            var by = delay is { } d && startAfter is not null ? $" ({(d >= 0 ? "later" : "earlier")} by {Duration(Math.Abs(d))})" : delay is { } d2 ? $" (later by more than {Duration(d2)})" : "";
            impacts.Add(new JobImpact(spec.Id.Value, spec.Tenant, effect, siteBefore, siteAfter, startBefore, startAfter, delay, null, startAfter, 0,
                $"job {spec.Id} would start {afterText} instead of {before}{by}"));
        }
        return [.. impacts.OrderBy(i => Order(i.Effect)).ThenBy(i => i.Job)];
    }

    private static int Order(string effect) => effect switch { Preempted => 0, Moved => 1, Throttled => 2, _ => 3 };

    private static string Words(StopCause? cause) => cause switch
    {
        StopCause.Preempted => "preempted: the site's envelope shrank or work of a higher class needed its GPUs",
        StopCause.SiteFailure => "its site is down",
        StopCause.VendorGone => "its vendor is cut off",
        StopCause.Drained => "drained",
        _ => cause?.ToString().ToLowerInvariant() ?? "stopped",
    };

    /// <summary>Seconds as "3h 05m", "12m 30s", "45s".</summary>
    public static string Duration(long seconds) => seconds switch
    {
        >= 86400 => $"{seconds / 86400}d {seconds % 86400 / 3600:00}h",
        >= 3600 => $"{seconds / 3600}h {seconds % 3600 / 60:00}m",
        >= 60 => $"{seconds / 60}m {seconds % 60:00}s",
        _ => $"{seconds}s",
    };
}
