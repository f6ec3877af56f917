using Serai.Core.Energy;
using Serai.Core.Jobs;
using Serai.Core.Model;
using Serai.Scheduling.Plugins;
using Serai.Scheduling.Profiles;

namespace Serai.Scheduling.Deferral;

/// <summary>
/// Deferral of flexible work, only when it is worth its cost: a deferrable job with an estimate and a deadline, no
/// shorter than the profile's minimum, waits when the carbon of its whole run (grid intensity × PUE averaged over
/// the hours it would run, per unit of work: the job's power on a pool over the accelerator's BF16 TFLOPS, as the
/// carbon score weighs pools) is lower later by both the profile's relative gain and its absolute saving in kg for
/// the job's own energy, and it can still start by deadline − 1.25 × estimate. The wait must pay off wherever the job
/// may land: the later run is judged at the worst pool the job may use, the run now at the best one, since the
/// scheduler places a woken job by its scores and free capacity, not where the wait was judged (a job that waited for
/// a cleaner hour at the hydro site and then ran on a coal-fired one raised the run's CO2). Of the starts within the
/// tolerance of the best one, the earliest is taken. Price plays no part: a tariff's night discount alone never
/// delays work, since it saves no CO2.
/// </summary>
public sealed class CarbonDeferral : IDeferral
{
    private const double DeadlineSafety = 1.25;
    private const int MaxWindowHours = 168;

    public string Name => "carbon";

    public Decision? TryDefer(ISchedulingView view, PendingJob pending, IReadOnlyList<int> pools, DeferralSettings settings, CycleState state)
    {
        var job = pending.Spec;
        if (!job.Deferrable || pending.WasDeferred || job.DeadlineUnix is not { } deadline || job.EstimatedSeconds is not { } estimate
            || estimate < settings.MinJobSeconds || pools.Count == 0)
        {
            return null;
        }
        var latestStart = deadline - (long)(estimate * DeadlineSafety);
        var hours = (int)Math.Min(MaxWaitHours(estimate, settings), (latestStart - view.NowUnix) / 3600);
        if (hours < 1)
        {
            return null;
        }
        // per site, the job's best and worst power per unit of work among its pools there (watts over BF16 TFLOPS)
        var memo = RunMemo.For(view);
        var sites = memo.SiteFactors(view, job, pools, out var watts, out var poolsKey);
        if (!(watts > 0))
        {
            return null; // the job draws nothing above idle at its most efficient pool: waiting saves nothing
        }
        var window = (int)Math.Clamp((estimate + 3599) / 3600, 1, MaxWindowHours);
        // The best start depends only on the clock hour, the sites' temperature offsets, the job's pools and power
        // fraction, the horizon and the run's length: many jobs and many cycles share it.
        var key = (poolsKey, job.PowerFraction, hours, window, settings.Tolerance);
        if (poolsKey == 0 || !memo.Best.TryGetValue(key, out var best))
        {
            best = BestStart(view, memo, sites, hours, window, settings.Tolerance);
            if (poolsKey != 0)
            {
                memo.Best[key] = best;
            }
        }
        // the scores are grams per IT kWh at the job's most efficient pool: its energy there prices the saving
        var savingKg = (best.Now - best.Score) * watts / 1000 * (estimate / 3600.0) / 1000;
        if (best.Hour == 0 || best.Score > best.Now * (1 - settings.MinGain) || savingKg < settings.MinSavingKg)
        {
            return null;
        }
        var hourStart = view.NowUnix - view.NowUnix % 3600 + best.Hour * 3600L;
        return Decision.Defer(job.Id, hourStart, new Reason(ReasonCode.DeferredForCleanerHour, "deferral",
            Have: best.Score, Need: best.Now, Time: hourStart));
    }

    /// <summary>
    /// The whole hours a job may be deferred by, whatever its deadline: the horizon, and at most
    /// <see cref="DeferralSettings.MaxDelayShare"/> of its estimated run (a start at hour h waits at most h hours).
    /// </summary>
    private static long MaxWaitHours(long estimateSeconds, DeferralSettings settings) =>
        settings.MaxDelayShare is { } share ? Math.Min(settings.HorizonHours, (long)Math.Floor(share * estimateSeconds / 3600)) : settings.HorizonHours;

    /// <summary>
    /// Until when a job this plugin did not defer at <paramref name="nowUnix"/> stays undeferred, other things equal
    /// (the sites' temperature overrides): its answer reads only the clock hour and the whole hours left before its
    /// latest start (capped at the horizon and the longest wait), so it holds until the next hour or until those hours drop by one.
    /// </summary>
    internal static long UndeferredUntil(JobSpec job, long nowUnix, DeferralSettings settings)
    {
        if (job.DeadlineUnix is not { } deadline || job.EstimatedSeconds is not { } estimate)
        {
            return long.MaxValue;
        }
        var latestStart = deadline - (long)(estimate * DeadlineSafety);
        var whole = (latestStart - nowUnix) / 3600;
        var cap = MaxWaitHours(estimate, settings);
        if (Math.Min(cap, whole) < 1)
        {
            return long.MaxValue; // never again: the hours left only fall
        }
        var threshold = 3600 * Math.Min(whole, cap + 1L);
        var nextHour = nowUnix - nowUnix % 3600 + 3600;
        return Math.Min(nextHour, latestStart - threshold + 1);
    }

    /// <summary>
    /// The earliest start whose run at the job's worst pool is within <paramref name="tolerance"/> of the cleanest such
    /// run, that run's carbon, and the carbon of a run now at the job's best pool (grams per IT kWh at its most
    /// efficient pool).
    /// </summary>
    private static (int Hour, double Score, double Now) BestStart(ISchedulingView view, RunMemo memo, ReadOnlySpan<(double Best, double Worst)> sites, int hours, int window, double tolerance)
    {
        Span<double> scores = hours <= ProfileLimits.MaxHorizonHours ? stackalloc double[hours + 1] : new double[hours + 1];
        var cleanest = double.MaxValue;
        for (var h = 0; h <= hours; h++)
        {
            scores[h] = RunCarbon(view, memo, sites, h, window, worst: true);
            cleanest = Math.Min(cleanest, scores[h]);
        }
        var now = RunCarbon(view, memo, sites, 0, window, worst: false);
        for (var h = 0; h <= hours; h++)
        {
            if (scores[h] <= cleanest * (1 + tolerance) + 1e-9)
            {
                return (h, scores[h], now);
            }
        }
        return (0, scores[0], now);
    }

    /// <summary>
    /// Mean carbon per IT kWh (g, with PUE) of a run of <paramref name="window"/> hours starting that many hours ahead,
    /// times the job's power per unit of work at a site over its best: at the best allowed site and pool, or the worst.
    /// </summary>
    private static double RunCarbon(ISchedulingView view, RunMemo memo, ReadOnlySpan<(double Best, double Worst)> sites, int hoursAhead, int window, bool worst)
    {
        var result = worst ? double.MinValue : double.MaxValue;
        for (var s = 0; s < sites.Length; s++)
        {
            var factor = worst ? sites[s].Worst : sites[s].Best;
            if (factor < 0)
            {
                continue; // no pool of the job's at this site
            }
            var sums = memo.Through(view, s, hoursAhead + window);
            var run = (sums[hoursAhead + window] - sums[hoursAhead]) / window * factor;
            result = worst ? Math.Max(result, run) : Math.Min(result, run);
        }
        return result;
    }

    /// <summary>
    /// What the answers above read, kept while the clock hour, the hub and the sites' temperature offsets stay the same
    /// (a pure function of those, so keeping it changes no decision): per site, running sums of carbon per IT kWh (grid
    /// intensity × PUE at the hour's temperature) from the clock hour on, entry k summing the first k hours, so a run's
    /// mean over any window costs one subtraction; and the best start per question. One per thread: schedulers run side
    /// by side on several threads.
    /// </summary>
    private sealed class RunMemo
    {
        [ThreadStatic]
        private static RunMemo? t_memo;

        private HubModel? _hub;
        private long _hourStartUnix = long.MinValue;
        private double[] _offsets = [];
        private double[]?[] _sums = [];

        private (double Best, double Worst)[] _factors = [];

        /// <summary>Best starts by the job's pools (a bit per pool index), power fraction, hours, window and tolerance.</summary>
        public Dictionary<(ulong PoolsMask, double PowerFraction, int Hours, int Window, double Tolerance), (int Hour, double Score, double Now)> Best { get; } = [];

        /// <summary>
        /// Per site, the job's best and worst power per unit of work among its pools there, over its best anywhere (so
        /// 1 at its most efficient pool; -1 where it has no pool); <paramref name="watts"/>: its IT watts at that pool;
        /// <paramref name="poolsKey"/>: a bit per pool, 0 when a pool's index is too large for one (then not memoised).
        /// </summary>
        public ReadOnlySpan<(double Best, double Worst)> SiteFactors(ISchedulingView view, JobSpec job, IReadOnlyList<int> pools, out double watts, out ulong poolsKey)
        {
            var hub = view.Hub;
            if (_factors.Length != hub.Sites.Length)
            {
                _factors = new (double, double)[hub.Sites.Length];
            }
            Array.Fill(_factors, (-1, -1)); // no pool of the job's there
            var bestPerWork = double.MaxValue;
            watts = 0;
            poolsKey = 0;
            var keyed = true;
            foreach (var p in pools)
            {
                var pool = hub.Pools[p];
                var w = pool.BusyDeltaWatts(job.GpuShare, job.PowerFraction);
                var perWork = w / (pool.Accelerator.Bf16Tflops > 0 ? pool.Accelerator.Bf16Tflops : 1);
                ref var f = ref _factors[pool.Site];
                f = f.Worst < 0 ? (perWork, perWork) : (Math.Min(f.Best, perWork), Math.Max(f.Worst, perWork));
                if (perWork < bestPerWork)
                {
                    (bestPerWork, watts) = (perWork, w);
                }
                keyed &= p < 64;
                poolsKey |= p < 64 ? 1UL << p : 0;
            }
            poolsKey = keyed ? poolsKey : 0;
            for (var s = 0; s < _factors.Length; s++)
            {
                if (_factors[s].Worst >= 0 && bestPerWork > 0)
                {
                    _factors[s] = (_factors[s].Best / bestPerWork, _factors[s].Worst / bestPerWork);
                }
            }
            return _factors;
        }

        public static RunMemo For(ISchedulingView view)
        {
            var memo = t_memo ??= new RunMemo();
            var hourStart = view.NowUnix - view.NowUnix % 3600;
            var sites = view.Hub.Sites.Length;
            if (!ReferenceEquals(memo._hub, view.Hub) || memo._hourStartUnix != hourStart)
            {
                (memo._hub, memo._hourStartUnix, memo._offsets, memo._sums) = (view.Hub, hourStart, new double[sites], new double[]?[sites]);
                for (var s = 0; s < sites; s++)
                {
                    memo._offsets[s] = view.Override(s).TemperatureOffsetC;
                }
                memo.Best.Clear();
                return memo;
            }
            for (var s = 0; s < sites; s++)
            {
                var offset = view.Override(s).TemperatureOffsetC;
                if (offset != memo._offsets[s])
                {
                    (memo._offsets[s], memo._sums[s]) = (offset, null);
                    memo.Best.Clear();
                }
            }
            return memo;
        }

        public double[] Through(ISchedulingView view, int site, int hours)
        {
            var known = _sums[site];
            if (known is not null && known.Length > hours)
            {
                return known;
            }
            var sums = new double[Math.Max(hours + 1, 2 * (known?.Length ?? 0))];
            var from = 1;
            if (known is not null)
            {
                Array.Copy(known, sums, known.Length);
                from = known.Length;
            }
            var model = view.Hub.Sites[site];
            for (var k = from; k < sums.Length; k++)
            {
                var hourOfYear = HourlySeries.HourOfYear(_hourStartUnix + (k - 1) * 3600L);
                sums[k] = sums[k - 1] + model.CarbonGPerKwh[hourOfYear] * model.Cooling.Pue(model.TemperatureC[hourOfYear] + _offsets[site]);
            }
            return _sums[site] = sums;
        }
    }
}
