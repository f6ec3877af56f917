using FsCheck.Xunit;
using Serai.Core.Jobs;
using Serai.Core.State;
using Serai.Core.Synthetic;
using Serai.Scheduling.Incremental;
using Serai.Scheduling.Profiles;
using Serai.Scheduling.Tests.Support;

namespace Serai.Scheduling.Tests;

/// <summary>
/// The incremental cycle decides exactly as the full cycle: over random hubs, profiles, workloads and sequences of
/// events (arrivals, completions, a single completion a minute later, heat, cap cuts, node failures, closed pools,
/// hours passing), every cycle of a scheduler that keeps its queue and dormant shapes across cycles gives the same
/// decisions, in the same order, as a full cycle on the same state.
/// </summary>
public class IncrementalProperties
{
    [Property(MaxTest = 1000, QuietOnSuccess = true)]
    public void Incremental_and_full_cycles_give_identical_decisions(int seed) => Run(seed, steps: 10);

    [Property(MaxTest = 500, QuietOnSuccess = true)]
    public void Incremental_and_full_cycles_give_identical_decisions_when_jobs_share_GPUs(int seed) => Run(seed, steps: 10, sharedGpuShare: 0.6);

    [Property(MaxTest = 300, QuietOnSuccess = true)]
    public void Switching_between_full_and_incremental_cycles_as_the_queue_deepens_and_drains_keeps_the_decisions(int seed) =>
        Run(seed, steps: 12, incrementalFromQueue: 8);

    /// <summary>
    /// Multi-node gangs of high classes among many small jobs of low classes, under the profiles that preempt for them:
    /// a gang's victim search, whose failure the scheduler keeps across cycles while the pool and the guarantees it
    /// read stay as they were, is tried in nearly every cycle.
    /// </summary>
    [Property(MaxTest = 300, QuietOnSuccess = true)]
    public void Gangs_waiting_for_victims_get_the_decisions_of_a_full_cycle_computed_afresh(int seed) =>
        Run(seed, steps: 16, profile: seed % 2 == 0 ? BuiltInProfiles.Serai : BuiltInProfiles.PriorityFairShare, gangs: true);

    /// <summary>
    /// A deep queue under the profiles that preempt, with gangs of high classes: starts by preemption release work in
    /// the middle of incremental cycles, which go on (the victims' tenants fall in fair share, the jobs passed over
    /// may fit again) and must still decide as a full cycle does.
    /// </summary>
    [Property(MaxTest = 300, QuietOnSuccess = true)]
    public void Incremental_cycles_that_go_on_after_a_preemption_give_the_decisions_of_a_full_cycle(int seed) =>
        Run(seed, steps: 16, profile: seed % 3 == 0 ? BuiltInProfiles.Serai : BuiltInProfiles.PriorityFairShare, deepQueue: 200, gangs: true);

    /// <summary>Any built-in profile over a deep queue of jobs that partly share GPUs, switching between full and incremental cycles.</summary>
    [Property(MaxTest = 200, QuietOnSuccess = true)]
    public void A_deep_queue_of_shared_and_whole_GPU_jobs_gets_the_decisions_of_a_full_cycle_under_every_profile(int seed) =>
        Run(seed, steps: 12, deepQueue: 100, sharedGpuShare: 0.3, incrementalFromQueue: 8, gangs: seed % 2 == 0);

    /// <summary>
    /// Found by sweeping seeds: a gang whose victim search a quota kept from running must wake when its tenant's GPUs
    /// fall (step 11), and jobs passed over while the backfill reservations looked taken must not be looked at again
    /// when a pending reservation finds no start and frees its place (step 13).
    /// </summary>
    [Fact]
    public void A_gang_kept_from_its_victims_by_quota_and_reservations_freed_again_keep_the_decisions() =>
        Run(136, steps: 16, profile: BuiltInProfiles.Serai, gangs: true);

    /// <summary>
    /// Found by sweeping seeds: a cycle's rollback must leave a site's IT power bit for bit as it found it (a full cycle
    /// after an incremental one on the same state read a figure an ulp off), and a want of room remembered from before
    /// its tenant's start must not take a backfill reservation once quota turns the job away on every pool (a job tried
    /// afresh would not).
    /// </summary>
    [Theory]
    [InlineData(2726)]
    [InlineData(2745)]
    public void A_rolled_back_cycle_and_a_remembered_want_of_room_keep_the_decisions(int seed)
    {
        if (seed == 2726)
        {
            Run(seed, steps: 12, deepQueue: 100, sharedGpuShare: 0.3, incrementalFromQueue: 8, gangs: true);
        }
        else
        {
            Run(seed, steps: 16, profile: BuiltInProfiles.Serai, deepQueue: 200, gangs: true);
        }
    }

    [Fact]
    public void Starts_by_preemption_do_not_end_the_incremental_cycle()
    {
        long releases = 0, incremental = 0;
        for (var seed = 0; seed < 40; seed++)
        {
            var counters = Run(seed, steps: 16, profile: BuiltInProfiles.PriorityFairShare, deepQueue: 200, gangs: true);
            releases += counters.Releases;
            incremental += counters.Incremental;
        }
        Assert.True(releases > 0, $"{releases} starts by preemption in {incremental} incremental cycles");
    }

    [Theory]
    [InlineData("serai")]
    [InlineData("priority-fairshare")]
    [InlineData("slurm")]
    [InlineData("fifo")]
    public void A_deep_queue_is_mostly_passed_over_with_the_same_decisions(string profile)
    {
        var totals = new IncrementalCounters();
        for (var seed = 0; seed < 4; seed++)
        {
            var counters = Run(seed, steps: 30, BuiltInProfiles.ByName(profile), deepQueue: 1500);
            totals.Incremental += counters.Incremental;
            totals.Full += counters.Full;
            totals.JobsQueued += counters.JobsQueued;
            totals.JobsLookedAt += counters.JobsLookedAt;
        }
        Assert.True(totals.Incremental > totals.Full, $"{totals.Incremental} incremental, {totals.Full} full");
        Assert.True(totals.JobsLookedAt * 4 < totals.JobsQueued, $"looked at {totals.JobsLookedAt} of {totals.JobsQueued} queued jobs");
    }

    [Fact]
    public void The_periodic_full_cycle_check_finds_no_mismatch()
    {
        for (var seed = 0; seed < 20; seed++)
        {
            var counters = Run(seed, steps: 8, profile: BuiltInProfiles.PriorityFairShare, fullCycleEvery: 1);
            Assert.Equal(0, counters.Mismatches);
            Assert.Equal(counters.Incremental, counters.Checks);
        }
    }

    private static IncrementalCounters Run(int seed, int steps, SchedulerProfile? profile = null, int fullCycleEvery = 0, int deepQueue = 0, double sharedGpuShare = 0,
        int incrementalFromQueue = 0, bool gangs = false)
    {
        var random = new Random(seed);
        var hub = SyntheticHub.Build(random, new SyntheticHubOptions(
            Sites: 1 + random.Next(3),
            TotalGpus: 32 + random.Next(6) * 32,
            Tenants: 1 + random.Next(5),
            Datasets: 1 + random.Next(3),
            Countries: 1 + random.Next(3),
            ItCapHeadroom: random.Next(2) == 0 ? 5 : 1.1,
            HotSites: random.Next(2) == 0));
        profile ??= BuiltInProfiles.All[random.Next(BuiltInProfiles.All.Count)];
        var state = new HubState(hub, RandomScenario.Start);
        var incremental = new Scheduler(profile) { Incremental = true, FullCycleEvery = fullCycleEvery, IncrementalFromQueue = incrementalFromQueue };
        var full = new Scheduler(profile);
        var fullKeeping = new Scheduler(profile);
        var queue = new List<PendingJob>();
        var now = RandomScenario.Start;
        var nextId = 1L;
        for (var i = 0; i < deepQueue; i++)
        {
            queue.Add(new PendingJob(SyntheticJobs.Next(random, hub, nextId++, now - deepQueue + i)));
        }
        for (var step = 0; step < steps; step++)
        {
            var arrivals = random.Next(4) == 0 ? 0 : 1 + random.Next(random.Next(2) == 0 ? 3 : 60);
            for (var i = 0; i < arrivals; i++)
            {
                var job = SyntheticJobs.Next(random, hub, nextId++, now - random.Next(600), sharedGpuShare);
                queue.Add(new PendingJob(gangs ? GangOrSmall(random, hub, job) : job));
            }
            state.AdvanceUsage(now);
            // the reference computes everything afresh; the others keep what their plugins learnt in earlier cycles. The
            // incremental cycle runs first: the others' tentative starts and releases count as changes to the pools
            var actual = incremental.Schedule(state, queue, now, explainWaits: false);
            var expected = full.ScheduleFull(state, queue, now, explainWaits: false);
            var keeping = fullKeeping.Schedule(state, queue, now, explainWaits: false);
            foreach (var (name, result) in new[] { ("full cycle keeping plugins' memory", keeping), ("incremental", actual) })
            {
                if (!IncrementalScheduling.SameDecisions(expected, result))
                {
                    Assert.Fail($"seed {seed}, step {step}, profile {profile.Name}, {queue.Count} queued:\nfull, afresh:\n  "
                        + string.Join("\n  ", expected.Decisions.Select(d => Describe(d, hub)))
                        + $"\n{name}:\n  " + string.Join("\n  ", result.Decisions.Select(d => Describe(d, hub))));
                }
            }
            Apply(state, queue, actual, now);
            now += Disturb(random, state);
        }
        var counters = incremental.IncrementalCounters;
        Assert.Equal(counters.Full, Enum.GetValues<FallbackCause>().Sum(counters.FallbacksFor)); // every fallback has its cause
        return counters;
    }

    /// <summary>A third of the jobs a gang of 2–6 nodes of a high class the tenant may use, the rest 1–8 GPUs of the lowest classes.</summary>
    private static JobSpec GangOrSmall(Random random, Core.Model.HubModel hub, JobSpec job)
    {
        var tenant = hub.Tenants[job.Tenant];
        if (random.Next(3) == 0)
        {
            var high = random.Next(2) == 0 ? Core.Model.PriorityClass.Emergency : Core.Model.PriorityClass.High;
            return job with
            {
                Gpus = 8 * (2 + random.Next(5)), GpusPerNode = 8,
                Priority = tenant.MayUse(high) ? high : tenant.MayUse(Core.Model.PriorityClass.High) ? Core.Model.PriorityClass.High : Core.Model.PriorityClass.Normal,
            };
        }
        var low = random.Next(2) == 0 ? Core.Model.PriorityClass.Preemptible : Core.Model.PriorityClass.Low;
        return job with { Gpus = 1 << random.Next(4), GpusPerNode = 0, Priority = tenant.MayUse(low) ? low : Core.Model.PriorityClass.Normal };
    }

    /// <summary>The decision's sentence and, for a placement, its nodes and GPU masks (which the sentence leaves out).</summary>
    private static string Describe(Decision d, Core.Model.HubModel hub) =>
        d.Placement is { } p ? $"{d.Describe(hub)} [nodes {string.Join(",", p.Nodes)}; masks {string.Join(",", p.GpuMasks)}]" : d.Describe(hub);

    /// <summary>Applies decisions as a control loop does: removals close up the list, requeued jobs go last, changed jobs are replaced in place.</summary>
    private static void Apply(HubState state, List<PendingJob> queue, CycleResult result, long now)
    {
        foreach (var d in result.Decisions)
        {
            var index = queue.FindIndex(j => j.Id == d.Job);
            switch (d.Kind)
            {
                case DecisionKind.Place:
                    DecisionApplier.Apply(state, d, queue[index].Spec, now);
                    queue.RemoveAt(index);
                    break;
                case DecisionKind.Preempt:
                    if (DecisionApplier.Apply(state, d, null, now) is { } stopped)
                    {
                        queue.Add(new PendingJob(stopped.Spec) { AttainedGpuSeconds = (now - stopped.StartUnix) * stopped.Placement.Gpus });
                    }
                    break;
                case DecisionKind.Throttle:
                    DecisionApplier.Apply(state, d, null, now);
                    break;
                case DecisionKind.Defer:
                    queue[index] = queue[index] with { NotBeforeUnix = d.UntilUnix, WasDeferred = true };
                    break;
                case DecisionKind.Reject:
                    queue.RemoveAt(index);
                    break;
            }
        }
    }

    /// <summary>One event or a few before the next cycle; returns the seconds that pass.</summary>
    private static long Disturb(Random random, HubState state)
    {
        var hub = state.Hub;
        switch (random.Next(9))
        {
            case 0 or 1 or 2:
                if (state.Running.Count > 0)
                {
                    state.Release(state.Running.Keys.ElementAt(random.Next(state.Running.Count))); // one completion
                }
                return 1 + random.Next(120);
            case 3:
                foreach (var id in state.Running.Keys.Where(_ => random.Next(3) == 0).ToList())
                {
                    state.Release(id);
                }
                return 600 + random.Next(6 * 3600);
            case 4:
                state.SetOverride(random.Next(hub.Sites.Length), new SiteOverride(TemperatureOffsetC: 5 + random.Next(15)));
                return random.Next(3600);
            case 5:
                var site = random.Next(hub.Sites.Length);
                state.SetOverride(site, random.Next(2) == 0 ? null : new SiteOverride(ItCapWatts: hub.Sites[site].ItCapWatts * (0.3 + random.NextDouble() * 0.6)));
                return random.Next(3600);
            case 6:
                var pool = random.Next(hub.Pools.Length);
                var node = random.Next(hub.Pools[pool].Nodes);
                var down = !state.Pools[pool].IsDown(node);
                if (down)
                {
                    foreach (var job in state.Pools[pool].JobsOn(node).ToList())
                    {
                        state.Release(job);
                    }
                }
                state.SetNodeDown(pool, node, down);
                return random.Next(600);
            case 7:
                var closed = random.Next(hub.Pools.Length);
                state.SetPoolClosed(closed, !state.Pools[closed].ClosedToNewWork);
                return random.Next(600);
            default:
                return 0; // nothing happens: the same instant again
        }
    }
}
