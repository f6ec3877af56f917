using Serai.Core.Energy;
using Serai.Core.Jobs;
using Serai.Scheduling.Plugins;
using Serai.Scheduling.Profiles;

namespace Serai.Scheduling.Deferral;

/// <summary>
/// Deferral of flexible work: a deferrable job with an estimate and a deadline waits for a later hour when the
/// carbon per kWh of IT (grid intensity × PUE) at its best allowed site is lower by the profile's minimum gain and
/// it can still start by deadline − 1.25 × estimate. Carbon decides; price only breaks ties between equally clean
/// hours (a tariff's night discount alone never delays work, since it saves no CO2).
/// </summary>
public sealed class CarbonDeferral : IDeferral
{
    private const double DeadlineSafety = 1.25;

    public string Name => "carbon";

    public Decision? TryDefer(ISchedulingView view, PendingJob pending, IReadOnlyList<int> pools, DeferralSettings settings, CycleState state)
    {
        var job = pending.Spec;
        if (!job.Deferrable || pending.WasDeferred || job.DeadlineUnix is not { } deadline || job.EstimatedSeconds is not { } estimate)
        {
            return null;
        }
        var latestStart = deadline - (long)(estimate * DeadlineSafety);
        var hours = (int)Math.Min(settings.HorizonHours, (latestStart - view.NowUnix) / 3600);
        if (hours < 1)
        {
            return null;
        }
        ulong sites = 0;
        foreach (var p in pools)
        {
            sites |= 1UL << view.Hub.Pools[p].Site;
        }
        // The best hour depends only on the sites and the horizon within one cycle: many jobs share it.
        var cache = state.Get<BestHours>(this);
        if (!cache.TryGetValue((sites, hours), out var best))
        {
            best = cache[(sites, hours)] = BestHour(view, sites, hours);
        }
        if (best.Hour == 0 || best.Score > best.Now * (1 - settings.MinGain))
        {
            return null;
        }
        var hourStart = view.NowUnix - view.NowUnix % 3600 + best.Hour * 3600L;
        return Decision.Defer(job.Id, hourStart, new Reason(ReasonCode.DeferredForCleanerHour, "deferral",
            Have: best.Score, Need: best.Now, Time: hourStart));
    }

    private static (int Hour, double Score, double Now) BestHour(ISchedulingView view, ulong sites, int hours)
    {
        var (now, _) = Score(view, sites, 0);
        var (bestHour, bestCarbon, bestPrice) = (0, now, double.MaxValue);
        for (var h = 1; h <= hours; h++)
        {
            var (carbon, price) = Score(view, sites, h);
            if (carbon < bestCarbon - 1e-9 || (Math.Abs(carbon - bestCarbon) <= 1e-9 && price < bestPrice))
            {
                (bestHour, bestCarbon, bestPrice) = (h, carbon, price);
            }
        }
        return (bestHour, bestCarbon, now);
    }

    /// <summary>Lowest carbon per IT kWh (g, with PUE) over the allowed sites at that hour, and the price there.</summary>
    private static (double Carbon, double Price) Score(ISchedulingView view, ulong sites, int hoursAhead)
    {
        var at = view.NowUnix + hoursAhead * 3600L;
        var hourOfYear = HourlySeries.HourOfYear(at);
        var (best, bestPrice) = (double.MaxValue, double.MaxValue);
        for (var s = 0; s < view.Hub.Sites.Length; s++)
        {
            if ((sites & (1UL << s)) == 0)
            {
                continue;
            }
            var site = view.Hub.Sites[s];
            var pue = site.Cooling.Pue(site.TemperatureC[hourOfYear] + view.Override(s).TemperatureOffsetC);
            var carbon = site.CarbonGPerKwh[hourOfYear] * pue;
            if (carbon < best)
            {
                (best, bestPrice) = (carbon, site.PriceUsdPerKwh[hourOfYear] * pue);
            }
        }
        return (best, bestPrice);
    }

    private sealed class BestHours : Dictionary<(ulong SitesMask, int Hours), (int Hour, double Score, double Now)>;
}
