using Serai.Core.Model;
using Serai.Core.State;
using Serai.Scheduling.Tests.Support;
using static Serai.Scheduling.Tests.Support.TestHub;

namespace Serai.Scheduling.Tests;

public class BackfillTests
{
    [Fact]
    public void A_short_job_backfills_ahead_of_a_blocked_gang_but_a_long_one_waits()
    {
        var driver = Cycles.NewDriver(profile: Profiles.BuiltInProfiles.Serai with { ReservationDepth = 1 });
        var running = Job(Startup, 16, 1u << Cuda, estimate: 3600, submit: 1);
        driver.Submit(JanuaryNightUtc, running);
        var gang = Job(Startup, 32, 1u << Cuda, estimate: 3600, submit: 2);
        var shortJob = Job(Startup, 8, 1u << Cuda, estimate: 1800, submit: 3);
        var longJob = Job(Startup, 8, 1u << Cuda, estimate: 7200, submit: 4);
        var result = driver.Submit(JanuaryNightUtc + 60, gang, shortJob, longJob);
        Assert.Equal(ReasonCode.Reserved, result.For(gang).Reason.Code);
        Assert.Equal(ReasonCode.Backfilled, result.For(shortJob).Reason.Code);
        Assert.Equal(ReasonCode.BlockedByReservation, result.For(longJob).Reason.Code);
        Assert.Contains("would delay job", result.For(longJob).Describe(driver.State.Hub), StringComparison.Ordinal);
    }

    [Fact]
    public void Jobs_turned_away_by_a_reservation_do_not_turn_away_a_shorter_or_smaller_one_of_their_shape()
    {
        var driver = Cycles.NewDriver(profile: Profiles.BuiltInProfiles.Serai with { ReservationDepth = 1 });
        driver.Submit(JanuaryNightUtc, Job(Startup, 16, 1u << Cuda, estimate: 3600, submit: 1));
        var gang = Job(Startup, 32, 1u << Cuda, estimate: 3600, submit: 2);
        var longJob = Job(Startup, 8, 1u << Cuda, estimate: 7200, submit: 3);
        var longer = Job(Startup, 8, 1u << Cuda, estimate: 9000, submit: 4);
        var larger = Job(Startup, 16, 1u << Cuda, estimate: 7200, submit: 5);
        var shortJob = Job(Startup, 8, 1u << Cuda, estimate: 1800, submit: 6);
        var result = driver.Submit(JanuaryNightUtc + 60, gang, longJob, longer, larger, shortJob);
        Assert.Equal(ReasonCode.Reserved, result.For(gang).Reason.Code);
        foreach (var blocked in new[] { longJob, longer, larger })
        {
            Assert.Equal(ReasonCode.BlockedByReservation, result.For(blocked).Reason.Code);
        }
        Assert.Equal(ReasonCode.Backfilled, result.For(shortJob).Reason.Code);
    }
}

public class FailureMemoTests
{
    private static readonly Core.Jobs.JobSpec Probe = Job(Startup, 8, 1u << Cuda, estimate: 3600);

    [Fact]
    public void A_reservation_failure_covers_jobs_of_the_shape_at_least_as_large_that_end_no_earlier()
    {
        var memo = new Cycle.FailureMemo();
        var shape = new Cycle.JobShape(Probe);
        var why = new Reason(ReasonCode.BlockedByReservation, "backfill");
        memo.AddReserved(shape, Probe, endUnix: 1000, why);
        memo.AddReserved(shape, Probe with { Gpus = 4 }, endUnix: 2000, why);
        Assert.True(memo.TryGet(shape, Probe, 1000, out _));
        Assert.True(memo.TryGet(shape, Probe with { Gpus = 16 }, 5000, out _));
        Assert.True(memo.TryGet(shape, Probe with { Gpus = 4 }, 2000, out _));
        Assert.False(memo.TryGet(shape, Probe, 999, out _), "a shorter job may end before the reservation starts");
        Assert.False(memo.TryGet(shape, Probe with { Gpus = 4 }, 1500, out _), "smaller and shorter than every failure");
        Assert.True(memo.CoversReserved(shape, 8, 1000));
        Assert.False(memo.CoversReserved(shape, 2, 9000));
        Assert.False(memo.Covers(shape, 8, out _), "a reservation's refusal is not a want of room");
        memo.Clear();
        Assert.False(memo.TryGet(shape, Probe with { Gpus = 16 }, 5000, out _), "a release forgets it");
    }
}

public class EnvelopeTests
{
    private static Driver Loaded(HubModel hub, long now)
    {
        var driver = Cycles.NewDriver(hub, now: now);
        var jobs = Enumerable.Range(0, 4).Select(i => Job(Startup, 8, 1u << Rocm, i == 0 ? PriorityClass.High : PriorityClass.Low, power: 1.0)).ToArray();
        driver.Submit(now, jobs);
        Assert.Equal(4, driver.State.Running.Count);
        return driver;
    }

    [Fact]
    public void A_heat_wave_throttles_low_priority_jobs_before_high_ones()
    {
        var driver = Loaded(Build(termezGridWatts: 4e6), JulyNoonUtc);
        var itBefore = driver.State.SiteItWatts(Termez);
        var limit = itBefore * 0.9;
        driver.State.SetOverride(Termez, new SiteOverride(ItCapWatts: limit));
        var result = driver.Cycle(JulyNoonUtc + 60);
        var throttled = result.Decisions.Where(d => d.Kind == DecisionKind.Throttle).ToList();
        Assert.NotEmpty(throttled);
        Assert.All(throttled, d => Assert.Equal(PriorityClass.Low, driver.State.Running[d.Job].Spec.Priority));
        Assert.True(driver.State.SiteItWatts(Termez) <= limit + 1e-3);
        Assert.DoesNotContain(result.Decisions, d => d.Kind == DecisionKind.Preempt);
    }

    [Fact]
    public void When_throttling_is_not_enough_the_lowest_class_is_preempted()
    {
        var driver = Loaded(Build(termezGridWatts: 4e6), JulyNoonUtc);
        var idle = driver.Cycle(JulyNoonUtc).Decisions.Count;
        Assert.Equal(0, idle);
        var limit = driver.State.SiteItWatts(Termez) * 0.7;
        driver.State.SetOverride(Termez, new SiteOverride(ItCapWatts: limit));
        var result = driver.Cycle(JulyNoonUtc + 60);
        var preempted = result.Decisions.Where(d => d.Kind == DecisionKind.Preempt).ToList();
        Assert.NotEmpty(preempted);
        Assert.All(preempted, d => Assert.Equal(ReasonCode.EnvelopePreempt, d.Reason.Code));
        Assert.True(driver.State.SiteItWatts(Termez) <= limit + 1e-3);
        Assert.Contains(driver.State.Running.Values, j => j.Spec.Priority == PriorityClass.High);
    }

    [Fact]
    public void Throttled_jobs_are_restored_when_the_envelope_recovers()
    {
        var driver = Loaded(Build(termezGridWatts: 4e6), JulyNoonUtc);
        driver.State.SetOverride(Termez, new SiteOverride(ItCapWatts: driver.State.SiteItWatts(Termez) * 0.9));
        driver.Cycle(JulyNoonUtc + 60);
        driver.State.SetOverride(Termez, null);
        var result = driver.Cycle(JulyNoonUtc + 120);
        Assert.Contains(result.Decisions, d => d.Reason.Code == ReasonCode.EnvelopeRestore);
        Assert.All(driver.State.Running.Values, j => Assert.Equal(j.Spec.PowerFraction, j.PowerFraction, 6));
    }
}

public class DeferralTests
{
    [Fact]
    public void A_deferrable_job_waits_for_a_cleaner_hour_when_its_deadline_allows()
    {
        // Midday solar dip: carbon is lower around 13:00 local (08:00 UTC) than at night.
        var hub = Build();
        var carbon = Core.Energy.SeriesGenerators.Carbon(600, 0.4, 0, 5);
        hub = new HubModel(hub.Name, hub.Countries, hub.Stacks, hub.Accelerators,
            hub.Sites.Select(s => s with { CarbonGPerKwh = carbon, PriceUsdPerKwh = Core.Energy.HourlySeries.Constant(0.06) }).ToArray(),
            hub.Pools, hub.Links, hub.Tenants, hub.Datasets, hub.ConfiguredAiSystems.Systems);
        // waits unbounded by the job's run (the default bound, one run, would keep this 1-hour job from a dip 10 h away)
        var unbounded = Profiles.BuiltInProfiles.Serai with { Deferral = Profiles.BuiltInProfiles.Serai.Deferral! with { MaxDelayShare = null } };
        var driver = Cycles.NewDriver(hub, unbounded, now: JanuaryNightUtc);
        var flexible = Job(Startup, 8, 1u << Cuda, estimate: 3600, deferrable: true, deadline: JanuaryNightUtc + 2 * 86400);
        var tight = Job(Startup, 8, 1u << Cuda, estimate: 3600, deferrable: true, deadline: JanuaryNightUtc + 4000);
        var result = driver.Submit(JanuaryNightUtc, flexible, tight);
        var defer = result.For(flexible);
        Assert.Equal(DecisionKind.Defer, defer.Kind);
        Assert.True(defer.UntilUnix > JanuaryNightUtc && defer.UntilUnix < JanuaryNightUtc + 86400);
        Assert.Equal(DecisionKind.Place, result.For(tight).Kind);
        var later = driver.Cycle(defer.UntilUnix);
        Assert.Equal(DecisionKind.Place, later.For(flexible).Kind);
    }
}

public class ScoreTests
{
    [Fact]
    public void The_carbon_score_prefers_the_cleaner_site_for_a_job_that_can_run_anywhere()
    {
        var driver = Cycles.NewDriver(Build(astanaCarbon: 100, termezCarbon: 900));
        var job = Job(Startup, 4, (1u << Cuda) | (1u << Rocm));
        driver.Submit(JanuaryNightUtc, job);
        Assert.Equal(H200Pool, driver.PoolOf(job));
        var other = Cycles.NewDriver(Build(astanaCarbon: 900, termezCarbon: 100));
        var again = Job(Startup, 4, (1u << Cuda) | (1u << Rocm));
        other.Submit(JanuaryNightUtc, again);
        Assert.Equal(Mi300Pool, other.PoolOf(again));
    }

    [Fact]
    public void Data_locality_prefers_the_site_that_holds_the_dataset()
    {
        var driver = Cycles.NewDriver(Build(astanaCarbon: 500, termezCarbon: 500), profile: Profiles.BuiltInProfiles.Serai with { Scores = Profiles.SchedulerProfile.ScoreMap(("data-locality", 1)) });
        var job = Job(Startup, 4, (1u << Cuda) | (1u << Rocm), datasets: [OpenWeather]);
        driver.Submit(JanuaryNightUtc, job);
        Assert.Equal(Mi300Pool, driver.PoolOf(job));
    }
}

public class ReservationMemoTests
{
    [Fact]
    public void A_kept_plan_holds_only_for_the_same_pool_object_at_the_same_version()
    {
        var hub = Build();
        var state = new HubState(hub, JanuaryNightUtc);
        var job = Job(Startup, 8, 1u << Cuda, estimate: 3600);
        var memo = new Backfill.ReservationMemo();
        var plan = new Backfill.PoolPlan(JanuaryNightUtc + 600, new HashSet<int> { 0 });
        memo.Put(state.Pools[0], 0, job, plan);
        Assert.True(memo.TryGet(state.Pools[0], 0, job, out var kept));
        Assert.Equal(plan, kept);
        Assert.False(memo.TryGet(state.Pools[0], 0, job with { Gpus = 4 }, out _), "another gang size walks afresh");
        Assert.False(memo.TryGet(new HubState(hub, JanuaryNightUtc).Pools[0], 0, job, out _), "another state, though at the same version");
        state.Pools[0].ClosedToNewWork = true; // any change to the pool
        Assert.False(memo.TryGet(state.Pools[0], 0, job, out _));
    }
}
