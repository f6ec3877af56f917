using System.Globalization;
using Serai.Core.Jobs;
using Serai.Scheduling;

namespace Serai.Runtime.Forecast;

/// <summary>When and where a job would most likely start, and why; <see cref="StartUnix"/> is null when not within the horizon.</summary>
public sealed record StartForecast(long NowUnix, long HorizonUnix, long? StartUnix, string? Site, string? Pool, string? Accelerator, string Why)
{
    /// <summary>Seconds from now until the start, when there is one.</summary>
    public long? StartsInSeconds => StartUnix - NowUnix;
}

/// <summary>
/// The whole hub's answer to `sbatch --test-only` and `squeue --start`: runs the live state forward (<see cref="HubProjection"/>)
/// until the job starts or the horizon passes. Assumes that running jobs end at their time limits, that nothing else
/// arrives, and that site conditions follow the model from the overrides in force now.
/// </summary>
public static class StartForecaster
{
    public const long DefaultHorizonSeconds = 7 * 86400;
    public const long MaxHorizonSeconds = 30 * 86400;

    /// <summary>Forecasts <paramref name="job"/>: a pending job of the image, or <paramref name="extra"/> (a job not submitted) when given.</summary>
    public static StartForecast Forecast(LiveImage image, ISchedulingPolicy policy, JobId job, JobSpec? extra = null, long horizonSeconds = DefaultHorizonSeconds)
    {
        var projection = new HubProjection(image, policy, extra is null ? null : [extra]);
        var until = image.NowUnix + Math.Clamp(horizonSeconds, 1, MaxHorizonSeconds);
        projection.Run(until, () => projection.Trace(job)?.FirstStartUnix is not null);
        var hub = image.Hub;
        var trace = projection.Trace(job);
        if (trace?.FirstStartUnix is not { } start || trace.FirstPool is not { } p)
        {
            var open = image.Running.Count(r => r.Spec.EstimatedSeconds is null);
            var why = $"no start forecast before {Time(until)} (the horizon): the jobs holding the GPUs it can use do not end, or free too few, before then";
            if (open > 0)
            {
                why += $"; {open} running job{(open == 1 ? " has" : "s have")} no time limit, so a forecast cannot tell when {(open == 1 ? "it ends" : "they end")}";
            }
            return new StartForecast(image.NowUnix, until, null, null, null, null, why);
        }
        var pool = hub.Pools[p];
        var site = hub.Sites[pool.Site].Name;
        var where = $"{site}/{pool.Name} ({pool.Accelerator.Model})";
        string reason;
        if (start == image.NowUnix)
        {
            reason = $"it would start now on {where}: the GPUs it needs are free and its rules allow it there";
        }
        else if (projection.TimedOutAt(start, p).ToList() is { Count: > 0 } freed)
        {
            var names = string.Join(", ", freed.Take(3).Select(s => $"job {s.Id}"));
            reason = $"{names}{(freed.Count > 3 ? $" and {freed.Count - 3} more" : "")} reach{(freed.Count == 1 ? "es its" : " their")} time limit at {Time(start)} and free{(freed.Count == 1 ? "s" : "")} the GPUs it needs on {where}";
        }
        else if (start % 3600 == 0)
        {
            reason = $"at {Time(start)} the hour turns and {site}'s modelled conditions (temperature, carbon, price) let it start on {where}";
        }
        else
        {
            reason = $"it starts on {where} at {Time(start)}, once the jobs ahead of it have started and ended at their time limits";
        }
        return new StartForecast(image.NowUnix, until, start, site, pool.Name, pool.Accelerator.Model,
            reason + "; assuming running jobs end at their time limits and nothing else is submitted");
    }

    /// <summary>A Unix time as ISO 8601 UTC to the second.</summary>
    public static string Time(long unix) =>
        DateTimeOffset.FromUnixTimeSeconds(unix).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}
