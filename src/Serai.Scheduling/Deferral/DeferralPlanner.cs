using Serai.Core.Energy;
using Serai.Core.Jobs;
using Serai.Scheduling.Cycle;

namespace Serai.Scheduling.Deferral;

/// <summary>
/// Deferral of flexible work: a deferrable job with an estimate and a deadline waits for a later hour when the
/// carbon-and-price score of its best allowed site is better by the profile's minimum gain and it can still start
/// by deadline − 1.25 × estimate. The score is carbon × PUE and price × PUE, each over the mean of the hub's sites.
/// </summary>
internal sealed class DeferralPlanner(CycleContext context)
{
    private const double DeadlineSafety = 1.25;
    private readonly Dictionary<(ulong SitesMask, int Hours), (int Hour, double Score, double Now)> _cache = [];
    private readonly double _meanCarbon = Math.Max(1e-9, context.Hub.Sites.Average(s => s.CarbonGPerKwh.Mean));
    private readonly double _meanPrice = Math.Max(1e-9, context.Hub.Sites.Average(s => s.PriceUsdPerKwh.Mean));

    public Decision? TryDefer(PendingJob pending, IReadOnlyList<int> pools)
    {
        var job = pending.Spec;
        if (!job.Deferrable || pending.WasDeferred || job.DeadlineUnix is not { } deadline || job.EstimatedSeconds is not { } estimate)
        {
            return null;
        }
        var latestStart = deadline - (long)(estimate * DeadlineSafety);
        var hours = (int)Math.Min(context.Profile.DeferralHorizonHours, (latestStart - context.NowUnix) / 3600);
        if (hours < 1)
        {
            return null;
        }
        ulong sites = 0;
        foreach (var p in pools)
        {
            sites |= 1UL << context.Hub.Pools[p].Site;
        }
        if (!_cache.TryGetValue((sites, hours), out var best))
        {
            best = _cache[(sites, hours)] = BestHour(sites, hours);
        }
        if (best.Hour == 0 || best.Score > best.Now * (1 - context.Profile.DeferralMinGain))
        {
            return null;
        }
        var hourStart = context.NowUnix - context.NowUnix % 3600 + best.Hour * 3600L;
        return Decision.Defer(job.Id, hourStart, new Reason(ReasonCode.DeferredForCleanerHour, "deferral",
            Have: best.Score * 100, Need: best.Now * 100, Time: hourStart));
    }

    private (int Hour, double Score, double Now) BestHour(ulong sites, int hours)
    {
        var now = Score(sites, 0);
        var (bestHour, bestScore) = (0, now);
        for (var h = 1; h <= hours; h++)
        {
            var s = Score(sites, h);
            if (s < bestScore - 1e-12)
            {
                (bestHour, bestScore) = (h, s);
            }
        }
        return (bestHour, bestScore, now);
    }

    private double Score(ulong sites, int hoursAhead)
    {
        var at = context.NowUnix + hoursAhead * 3600L;
        var hourOfYear = HourlySeries.HourOfYear(at);
        var weights = context.Profile.Weights;
        var best = double.MaxValue;
        for (var s = 0; s < context.Hub.Sites.Length; s++)
        {
            if ((sites & (1UL << s)) == 0)
            {
                continue;
            }
            var site = context.Hub.Sites[s];
            var pue = site.Cooling.Pue(site.TemperatureC[hourOfYear] + context.State.Override(s).TemperatureOffsetC);
            var carbon = site.CarbonGPerKwh[hourOfYear] / _meanCarbon;
            var price = site.PriceUsdPerKwh[hourOfYear] / _meanPrice;
            var score = pue * (weights.Carbon * carbon + weights.EnergyPrice * price) / Math.Max(1e-9, weights.Carbon + weights.EnergyPrice);
            best = Math.Min(best, score);
        }
        return best;
    }
}
