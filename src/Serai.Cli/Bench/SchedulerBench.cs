using System.Diagnostics;
using Serai.Core.Jobs;
using Serai.Core.State;
using Serai.Core.Synthetic;
using Serai.Scheduling;
using Serai.Scheduling.Incremental;
using Serai.Scheduling.Profiles;

namespace Serai.Cli.Bench;

/// <summary>Options of the scheduler benchmark.</summary>
public sealed record SchedulerBenchOptions(int Gpus, int Sites, int Jobs, int Rounds, string Profile, int Seed, int Events = 200, int FullEvery = 20);

/// <summary>What the scheduler benchmark measured.</summary>
public sealed record SchedulerBenchResult(
    string Profile,
    int Gpus,
    int Sites,
    int PendingJobs,
    int Rounds,
    long Decisions,
    long Placements,
    double SchedulingSeconds,
    double PlacementsPerSecond,
    double JobsPerSecond,
    double P50Microseconds,
    double P99Microseconds,
    double MaxMicroseconds,
    double P99CycleMilliseconds,
    IReadOnlyDictionary<string, int> FirstCycleOutcomes,
    string Machine)
{
    /// <summary>The cycles after one event each (a completion or a submission), on the hub the rounds left behind.</summary>
    public EventCycles? AfterOneEvent { get; init; }
}

/// <summary>
/// Cycle cost after one event: incremental cycles (each applied), and full cycles on the same state every so often,
/// in milliseconds; how many jobs were pending; how many incremental cycles fell back to a full one; whether any full
/// cycle decided otherwise than the incremental one beside it; where the incremental cycles' time went.
/// </summary>
public sealed record EventCycles(
    int Events,
    int PendingMin,
    int PendingMax,
    double IncrementalP50Ms,
    double IncrementalP99Ms,
    double IncrementalMaxMs,
    int FullCycles,
    double FullP50Ms,
    double FullMaxMs,
    long FellBack,
    int Mismatches,
    double JobsLookedAtPerCycle,
    IReadOnlyDictionary<string, double> IncrementalSecondsByPhase,
    double DormantShapesPerCycle = 0,
    double ShapesRecheckedPerCycle = 0,
    double ShapesWokenPerCycle = 0,
    IReadOnlyDictionary<string, long>? FellBackBecause = null);

/// <summary>
/// Times the scheduler on a synthetic hub (default 100,000 GPUs in 5 sites) with a queue of mixed jobs (default
/// 100,000). Round 1 starts from an empty hub; each later round completes a fifth of the running jobs and runs the
/// cycle again on what is still queued. Each job's decision is timed through the cycle observer.
/// </summary>
public static class SchedulerBench
{
    public static SchedulerBenchResult Run(SchedulerBenchOptions options, Action<string>? progress = null)
    {
        var profile = BuiltInProfiles.ByName(options.Profile) ?? throw new ArgumentException($"unknown profile {options.Profile}");
        var random = new Random(options.Seed);
        var hub = SyntheticHub.Build(random, new SyntheticHubOptions(Sites: options.Sites, TotalGpus: options.Gpus, Tenants: 16, Datasets: 12, TightEnvelopes: false));
        var now = new DateTimeOffset(2026, 7, 1, 0, 0, 0, TimeSpan.Zero).ToUnixTimeSeconds();
        var queue = SyntheticJobs.Queue(random, hub, options.Jobs, now);
        var scheduler = new Scheduler(profile);
        Warm(hub, scheduler, now);

        var state = new HubState(hub, now);
        var timer = new JobTimer(options.Jobs * options.Rounds);
        long placements = 0, decisions = 0, ticks = 0;
        Dictionary<string, int>? outcomes = null;
        for (var round = 1; round <= options.Rounds; round++)
        {
            var start = Stopwatch.GetTimestamp();
            var result = scheduler.Schedule(state, queue, now, timer);
            var elapsed = Stopwatch.GetTimestamp() - start;
            ticks += elapsed;
            placements += result.Placed;
            outcomes ??= result.Decisions.GroupBy(d => $"{d.Kind}:{d.Reason.Code}").OrderByDescending(g => g.Count())
                .ToDictionary(g => g.Key, g => g.Count());
            if (round == 1)
            {
                var byOutcome = result.Decisions.GroupBy(d => $"{d.Kind}:{d.Reason.Code}")
                    .Select(g => (g.Key, Ms: g.Sum(d => timer.LastCycle.GetValueOrDefault(d.Job)) * 1000.0 / Stopwatch.Frequency));
                progress?.Invoke("time by outcome: " + string.Join(", ", byOutcome.OrderByDescending(x => x.Ms).Select(x => $"{x.Key} {x.Ms:F0} ms")));
            }
            timer.LastCycle.Clear();
            decisions += result.Decisions.Count;
            progress?.Invoke($"round {round}: {result.JobsConsidered:N0} jobs considered, {result.Placed:N0} placed in {elapsed * 1000.0 / Stopwatch.Frequency:F0} ms");
            Apply(state, queue, result, now);
            foreach (var id in state.Running.Keys.Where(_ => random.Next(5) == 0).ToList())
            {
                state.Release(id);
            }
            now += 600;
            state.AdvanceUsage(now);
        }
        var seconds = ticks / (double)Stopwatch.Frequency;
        var (p50, p99, max) = timer.Percentiles();
        var afterEvents = options.Events > 0 ? AfterOneEvent(hub, profile, state, queue, now, random, options, progress) : null;
        return new SchedulerBenchResult(profile.Name, hub.TotalGpus, hub.Sites.Length, options.Jobs, options.Rounds, decisions, placements,
            seconds, placements / seconds, timer.Count / seconds, p50, p99, max, p99 / 1000.0, outcomes ?? [], MachineDescription.Current())
        {
            AfterOneEvent = afterEvents,
        };
    }

    /// <summary>
    /// From the state the rounds left (a full hub, a deep queue), one event at a time: a running job completes, or a
    /// new job arrives, then one cycle. The incremental scheduler decides and its decisions are applied; every
    /// <see cref="SchedulerBenchOptions.FullEvery"/> events a full cycle runs on the same state first, timed, and its
    /// decisions are compared with the incremental cycle's.
    /// </summary>
    private static EventCycles AfterOneEvent(Core.Model.HubModel hub, SchedulerProfile profile, HubState state, List<PendingJob> queue, long now,
        Random random, SchedulerBenchOptions options, Action<string>? progress)
    {
        var incremental = new Scheduler(profile) { Incremental = true, ProfileTime = TimeProvider.System };
        var full = new Scheduler(profile);
        WarmIncremental(hub, profile, now, Math.Min(20_000, options.Jobs));
        // builds its queue index (the first cycle is a full one); its decisions are applied, so that the measured cycles
        // each follow one event, not the fifth of the running jobs the last round completed
        Apply(state, queue, incremental.Schedule(state, queue, now, explainWaits: false), now);
        var before = incremental.IncrementalCounters;
        var (lookedBefore, cyclesBefore, fellBefore) = (before.JobsLookedAt, before.Incremental, before.Full);
        var (dormantBefore, recheckedBefore, wokenBefore) = (before.ShapesDormant, before.ShapesRechecked, before.ShapesWoken);
        var phasesBefore = Enum.GetValues<IncrementalPhase>().ToDictionary(p => p, before.Seconds);
        var fallbacksBefore = Enum.GetValues<FallbackCause>().ToDictionary(f => f, before.FallbacksFor);
        var incrementalMs = new List<double>();
        var fullMs = new List<double>();
        var mismatches = 0;
        int pendingMin = int.MaxValue, pendingMax = 0;
        var nextId = queue.Count == 0 ? 1 : queue.Max(j => j.Id.Value) + state.Running.Count + 1_000_000;
        for (var e = 0; e < options.Events; e++)
        {
            now += 1 + random.Next(30);
            state.AdvanceUsage(now);
            if (e % 2 == 0 && state.Running.Count > 0)
            {
                state.Release(state.Running.Keys.ElementAt(random.Next(state.Running.Count)));
            }
            else
            {
                queue.Add(new PendingJob(SyntheticJobs.Next(random, hub, nextId++, now)));
            }
            pendingMin = Math.Min(pendingMin, queue.Count);
            pendingMax = Math.Max(pendingMax, queue.Count);
            CycleResult? fullResult = null;
            if (options.FullEvery > 0 && e % options.FullEvery == 0)
            {
                var f0 = Stopwatch.GetTimestamp();
                fullResult = full.ScheduleFull(state, queue, now, explainWaits: false); // afresh: nothing kept from earlier cycles
                fullMs.Add(Stopwatch.GetElapsedTime(f0).TotalMilliseconds);
            }
            var t0 = Stopwatch.GetTimestamp();
            var result = incremental.Schedule(state, queue, now, explainWaits: false);
            incrementalMs.Add(Stopwatch.GetElapsedTime(t0).TotalMilliseconds);
            if (fullResult is not null && !SameDecisions(fullResult, result))
            {
                mismatches++;
            }
            Apply(state, queue, result, now);
        }
        var c = incremental.IncrementalCounters;
        var cycles = Math.Max(1, c.Incremental - cyclesBefore);
        incrementalMs.Sort();
        fullMs.Sort();
        double At(List<double> xs, double q) => xs.Count == 0 ? 0 : xs[Math.Min(xs.Count - 1, (int)(xs.Count * q))];
        var result2 = new EventCycles(options.Events, pendingMin, pendingMax, At(incrementalMs, 0.5), At(incrementalMs, 0.99), incrementalMs.Count == 0 ? 0 : incrementalMs[^1],
            fullMs.Count, At(fullMs, 0.5), fullMs.Count == 0 ? 0 : fullMs[^1], c.Full - fellBefore, mismatches,
            (c.JobsLookedAt - lookedBefore) / (double)cycles,
            Enum.GetValues<IncrementalPhase>().ToDictionary(p => p.ToString(), p => Math.Round(c.Seconds(p) - phasesBefore[p], 4)),
            (c.ShapesDormant - dormantBefore) / (double)cycles, (c.ShapesRechecked - recheckedBefore) / (double)cycles, (c.ShapesWoken - wokenBefore) / (double)cycles,
            Enum.GetValues<FallbackCause>().ToDictionary(f => f.ToString(), f => c.FallbacksFor(f) - fallbacksBefore[f]));
        progress?.Invoke($"after one event: {options.Events} cycles at {pendingMin:N0}–{pendingMax:N0} pending, incremental p50 {result2.IncrementalP50Ms:F3} ms, p99 {result2.IncrementalP99Ms:F3} ms; full p50 {result2.FullP50Ms:F1} ms");
        return result2;
    }

    private static bool SameDecisions(CycleResult a, CycleResult b) =>
        a.Decisions.Count == b.Decisions.Count && a.Decisions.Zip(b.Decisions).All(p =>
            p.First with { Placement = null } == p.Second with { Placement = null }
            && (p.First.Placement is null ? p.Second.Placement is null
                : p.Second.Placement is { } q && p.First.Placement.Pool == q.Pool && p.First.Placement.Nodes.SequenceEqual(q.Nodes)
                    && p.First.Placement.GpuMasks.SequenceEqual(q.GpuMasks)));

    /// <summary>Incremental cycles on a small copy first, so that the measured ones run optimised code.</summary>
    private static void WarmIncremental(Core.Model.HubModel hub, SchedulerProfile profile, long now, int jobs)
    {
        var scheduler = new Scheduler(profile) { Incremental = true };
        var state = new HubState(hub, now);
        var queue = SyntheticJobs.Queue(new Random(2), hub, jobs, now);
        var random = new Random(3);
        for (var i = 0; i < 200; i++)
        {
            var result = scheduler.Schedule(state, queue, now, explainWaits: false);
            Apply(state, queue, result, now);
            if (state.Running.Count > 0)
            {
                state.Release(state.Running.Keys.ElementAt(random.Next(state.Running.Count)));
            }
            now += 10;
            if (i % 50 == 49)
            {
                Thread.Sleep(300);
            }
        }
    }

    /// <summary>
    /// Cycles on a tenth of the queue first, with pauses that let the runtime's background JIT finish its optimised
    /// (tier-1) code, so that the measured cycles run the code a long-running server runs.
    /// </summary>
    private static void Warm(Core.Model.HubModel hub, Scheduler scheduler, long now)
    {
        var state = new HubState(hub, now);
        var queue = SyntheticJobs.Queue(new Random(1), hub, 10_000, now);
        for (var i = 0; i < 4; i++)
        {
            scheduler.Schedule(state, queue, now);
            Thread.Sleep(500);
        }
    }

    private static void Apply(HubState state, List<PendingJob> queue, CycleResult result, long now)
    {
        var byId = queue.ToDictionary(j => j.Id);
        var gone = new HashSet<JobId>();
        foreach (var d in result.Decisions)
        {
            switch (d.Kind)
            {
                case DecisionKind.Place:
                    DecisionApplier.Apply(state, d, byId[d.Job].Spec, now);
                    gone.Add(d.Job);
                    break;
                case DecisionKind.Preempt:
                    if (DecisionApplier.Apply(state, d, null, now) is { } stopped)
                    {
                        gone.Remove(stopped.Id);
                        if (!byId.ContainsKey(stopped.Id))
                        {
                            queue.Add(new PendingJob(stopped.Spec));
                        }
                    }
                    break;
                case DecisionKind.Throttle:
                    DecisionApplier.Apply(state, d, null, now);
                    break;
                case DecisionKind.Reject:
                    gone.Add(d.Job);
                    break;
                case DecisionKind.Defer:
                    var i = queue.IndexOf(byId[d.Job]);
                    queue[i] = queue[i] with { NotBeforeUnix = d.UntilUnix, WasDeferred = true };
                    break;
            }
        }
        queue.RemoveAll(j => gone.Contains(j.Id));
    }

    /// <summary>Times each job's decision from the cycle observer's two calls.</summary>
    private sealed class JobTimer(int capacity) : ICycleObserver
    {
        private readonly List<long> _ticks = new(capacity);
        private long _started;

        public int Count => _ticks.Count;

        /// <summary>Ticks spent per job in the last cycle, to attribute time to outcomes.</summary>
        public Dictionary<JobId, long> LastCycle { get; } = [];

        public void JobStarting(JobId job) => _started = Stopwatch.GetTimestamp();

        public void JobDecided(JobId job)
        {
            var ticks = Stopwatch.GetTimestamp() - _started;
            _ticks.Add(ticks);
            LastCycle[job] = ticks;
        }

        public (double P50, double P99, double Max) Percentiles()
        {
            var sorted = _ticks.ToArray();
            Array.Sort(sorted);
            double Us(long t) => t * 1e6 / Stopwatch.Frequency;
            return sorted.Length == 0 ? (0, 0, 0)
                : (Us(sorted[sorted.Length / 2]), Us(sorted[(int)(sorted.Length * 0.99)]), Us(sorted[^1]));
        }
    }
}
