using Serai.Core.Jobs;
using Serai.Core.Model;
using Serai.Core.State;
using Serai.Runtime.Lifecycle;
using Serai.Runtime.Tests.Support;
using Serai.Scheduling;
using Serai.Scheduling.Profiles;

using static Serai.Runtime.Tests.Support.OneSiteHub;

namespace Serai.Runtime.Tests;

/// <summary>The bounded look-ahead of a pool whose site queues work itself (Slurm): jobs handed over ahead of GPUs freeing.</summary>
public class LookAheadTests
{
    private static HubRuntime Runtime(LaterEffects effects, int lookAhead) =>
        new(Build(gpusPerNode: 4), new Scheduler(BuiltInProfiles.PriorityFairShare),
            new RuntimeOptions { LookAheadGpus = [lookAhead], LookAheadPolicy = new Scheduler(BuiltInProfiles.PriorityFairShare) }, May31, effects);

    /// <summary>A runtime with <paramref name="jobs"/> one-GPU jobs submitted and one instant ended (8 placed, the rest queued ahead up to the bound).</summary>
    private static HubRuntime Filled(LaterEffects effects, int lookAhead, int jobs)
    {
        var runtime = Runtime(effects, lookAhead);
        for (var i = 1; i <= jobs; i++)
        {
            runtime.Submit(Job(i));
        }
        runtime.EndInstant(May31);
        return runtime;
    }

    private static JobSpec Job(long id, int gpus = 1, PriorityClass priority = PriorityClass.Normal) =>
        new() { Id = new JobId(id), Tenant = 0, Gpus = gpus, StackMask = 1, SubmitUnix = May31, EstimatedSeconds = 3600, Priority = priority };

    /// <summary>Every dispatch the backend took is confirmed (a Slurm job id); queued-ahead ones stay pending.</summary>
    private static void Confirm(HubRuntime runtime, LaterEffects effects, ref int confirmed)
    {
        for (; confirmed < effects.Dispatches.Count; confirmed++)
        {
            var d = effects.Dispatches[confirmed];
            runtime.OnStarted(d.Job.Id, d.Attempt, $"slurm-{confirmed}");
        }
    }

    private static void AssertInvariants(HubRuntime runtime)
    {
        var usedGpus = runtime.State.Running.Values.Sum(j => j.Placement.Gpus);
        Assert.True(usedGpus <= 8, $"{usedGpus} GPUs held on an 8-GPU pool");
        Assert.True(runtime.ClaimedGpus(0) <= runtime.LookAheadGpus(0), $"{runtime.ClaimedGpus(0)} GPUs queued ahead over the bound {runtime.LookAheadGpus(0)}");
        Assert.Equal(runtime.Claims.Values.Sum(c => c.Gpus), runtime.ClaimedGpus(0));
        foreach (var claim in runtime.Claims.Values)
        {
            var id = runtime.Jobs.Spec[claim.Slot].Id;
            Assert.Equal(JobPhase.Pending, runtime.Jobs.Phase[claim.Slot]);
            Assert.False(runtime.State.Running.ContainsKey(id), $"job {id} is queued ahead and counted as running");
        }
        var site = 0;
        var promised = runtime.State.SiteItWatts(site) + runtime.Claims.Values.Sum(c => c.Watts);
        Assert.True(promised <= runtime.State.Conditions(site, runtime.NowUnix).ItLimitWatts + 1e-6, $"{promised} W promised over the site's limit");
    }

    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(42)]
    public void Queued_ahead_jobs_never_count_as_running_and_start_only_on_gpus_that_freed(int seed)
    {
        var random = new Random(seed);
        var effects = new LaterEffects();
        var runtime = Runtime(effects, lookAhead: 8);
        for (var i = 1; i <= 40; i++)
        {
            runtime.Submit(Job(i, gpus: random.Next(4) == 0 ? 2 : 1));
        }
        var t = May31;
        var confirmed = 0;
        runtime.EndInstant(t);
        Confirm(runtime, effects, ref confirmed);
        Assert.NotEmpty(runtime.Claims);
        Assert.Contains(effects.Dispatches, d => d.QueuedAhead);
        AssertInvariants(runtime);
        var guard = 0;
        while (Enumerable.Range(0, runtime.Jobs.Count).Any(s => !runtime.Jobs.Phase[s].IsFinal()) && guard++ < 500)
        {
            t += random.Next(1, 30);
            runtime.AdvanceTo(t);
            var running = runtime.State.Running.Keys.ToList();
            foreach (var id in running.Where(_ => random.Next(3) == 0))
            {
                runtime.OnEnded(id, runtime.Jobs.Attempt[runtime.Jobs.SlotOf(id)], JobEnd.Exited(0));
            }
            AssertInvariants(runtime);
            runtime.EndInstant(t);
            Confirm(runtime, effects, ref confirmed);
            AssertInvariants(runtime);
        }
        Assert.All(Enumerable.Range(0, runtime.Jobs.Count), s => Assert.Equal(JobPhase.Succeeded, runtime.Jobs.Phase[s]));
        Assert.Equal(40, runtime.Counters.Completions);
        // every attempt was sent once: the queued-ahead ones were never sent again when they started
        Assert.Equal(40, effects.Dispatches.Count);
    }

    [Fact]
    public void A_queued_ahead_job_books_usage_only_from_when_it_takes_gpus()
    {
        var effects = new LaterEffects();
        var runtime = Filled(effects, lookAhead: 8, jobs: 9);
        var ahead = Assert.Single(runtime.Claims.Values);
        var slot = ahead.Slot;
        Assert.Equal(0, runtime.Jobs.GpuSeconds[slot]);
        Assert.True(runtime.Jobs.FirstStartUnix[slot] < 0);
        runtime.AdvanceTo(May31 + 600);
        runtime.OnStarted(new JobId(1), 1, "1");
        runtime.OnEnded(new JobId(1), 1, JobEnd.Exited(0));
        runtime.EndInstant(May31 + 600);
        Assert.Equal(JobPhase.Running, runtime.Jobs.Phase[slot]);
        Assert.Equal(May31 + 600, runtime.Jobs.FirstStartUnix[slot]);
        Assert.Empty(runtime.Claims);
    }

    [Fact]
    public void The_envelope_counts_a_queued_ahead_job_as_if_it_ran()
    {
        var effects = new LaterEffects();
        var runtime = Runtime(effects, lookAhead: 8);
        for (var i = 1; i <= 8; i++)
        {
            runtime.Submit(Job(i));
        }
        runtime.EndInstant(May31);
        Assert.Equal(8, runtime.State.Running.Count);
        // room for two and a half more busy GPUs at the power the scheduler gives them
        var perJob = 700 * runtime.State.Running.Values.First().PowerFraction;
        runtime.SetOverride(0, new SiteOverride(ItCapWatts: runtime.State.SiteItWatts(0) + 2.5 * perJob));
        for (var i = 9; i <= 20; i++)
        {
            runtime.Submit(Job(i));
        }
        runtime.EndInstant(May31 + 1);
        Assert.Equal(2, runtime.Claims.Count);
        AssertInvariants(runtime);
    }

    [Fact]
    public void An_emergency_takes_the_place_of_queued_ahead_jobs_which_are_cancelled_at_the_site_and_placed_again()
    {
        var effects = new LaterEffects();
        var runtime = Filled(effects, lookAhead: 8, jobs: 16);
        Assert.Equal(8, runtime.Claims.Count);
        var claims = runtime.Claims.Values.ToList();

        runtime.Submit(Job(100, priority: PriorityClass.Emergency));
        runtime.EndInstant(May31 + 1);
        Assert.All(runtime.Claims.Values, c => Assert.True(c.Withdrawing));
        foreach (var claim in claims)
        {
            var stop = Assert.Single(effects.Stops, s => s.Slot == claim.Slot && s.Attempt == claim.Attempt);
            Assert.Equal(StopCause.Preempted, stop.Cause);
        }
        // the site confirms: the claims are gone and their jobs wait in Serai's queue again, never having run
        foreach (var claim in claims)
        {
            runtime.OnStopped(runtime.Jobs.Spec[claim.Slot].Id, claim.Attempt);
        }
        Assert.Empty(runtime.Claims);
        Assert.All(claims, c => Assert.Equal(JobPhase.Pending, runtime.Jobs.Phase[c.Slot]));
        Assert.All(claims, c => Assert.True(runtime.Jobs.FirstStartUnix[c.Slot] < 0));
    }

    [Fact]
    public void Cancelling_a_queued_ahead_job_cancels_it_at_the_site_and_frees_its_place()
    {
        var effects = new LaterEffects();
        var runtime = Filled(effects, lookAhead: 2, jobs: 12);
        Assert.Equal(2, runtime.ClaimedGpus(0));
        var claim = runtime.Claims.Values.First();
        var id = runtime.Jobs.Spec[claim.Slot].Id;
        Assert.Equal(CancelResult.Cancelled, runtime.Cancel(id, "its tenant"));
        Assert.Equal(JobPhase.Cancelled, runtime.Jobs.Phase[claim.Slot]);
        Assert.Contains(effects.Stops, s => s.Job == id && s.Cause == StopCause.Cancelled);
        Assert.Equal(1, runtime.ClaimedGpus(0));
        runtime.OnStopped(id, claim.Attempt); // the site's answer changes nothing more
        Assert.Equal(JobPhase.Cancelled, runtime.Jobs.Phase[claim.Slot]);
    }

    [Fact]
    public void A_queued_ahead_job_that_ran_and_ended_between_two_polls_ends_once_and_one_given_back_is_placed_again()
    {
        var effects = new LaterEffects();
        var runtime = Filled(effects, lookAhead: 8, jobs: 10);
        var claims = runtime.Claims.Values.OrderBy(c => c.Serial).ToList();
        Assert.Equal(2, claims.Count);
        var first = runtime.Jobs.Spec[claims[0].Slot].Id;
        runtime.OnEnded(first, claims[0].Attempt, JobEnd.Exited(0));
        Assert.Equal(JobPhase.Succeeded, runtime.Jobs.Phase[claims[0].Slot]);
        runtime.OnEnded(first, claims[0].Attempt, JobEnd.Exited(0));
        Assert.Equal(1, runtime.Counters.Completions);

        var second = runtime.Jobs.Spec[claims[1].Slot].Id;
        runtime.OnEnded(second, claims[1].Attempt, new JobEnd(EndKind.NodeFailure, null, "Slurm at this site can never start it"));
        Assert.Equal(JobPhase.Pending, runtime.Jobs.Phase[claims[1].Slot]);
        Assert.Empty(runtime.Claims);
    }

    [Fact]
    public void A_restored_claim_is_taken_back_exactly_once()
    {
        var effects = new LaterEffects();
        var runtime = Runtime(effects, lookAhead: 8);
        runtime.RestorePending(Job(5), 1, 0, 0);
        var shape = new Placement(0, [0], [1UL]);
        Assert.True(runtime.RestoreClaim(new JobId(5), 2, 0, shape, "77"));
        Assert.False(runtime.RestoreClaim(new JobId(5), 2, 0, shape, "77"));
        Assert.Equal(1, runtime.ClaimedGpus(0));
        runtime.EndInstant(May31);
        Assert.Equal(JobPhase.Running, runtime.Jobs.Phase[runtime.Jobs.SlotOf(new JobId(5))]);
        Assert.Equal(2, runtime.Jobs.Attempt[runtime.Jobs.SlotOf(new JobId(5))]);
        Assert.Empty(effects.Dispatches); // found at the site, never sent again
    }

    [Fact]
    public void A_look_ahead_of_zero_does_what_the_runtime_did_without_one()
    {
        static List<string> Run(RuntimeOptions options)
        {
            var effects = new LaterEffects();
            var runtime = new HubRuntime(Build(gpusPerNode: 4), new Scheduler(BuiltInProfiles.PriorityFairShare), options, May31, effects);
            var log = new List<string>();
            for (var i = 1; i <= 20; i++)
            {
                runtime.Submit(Job(i, gpus: i % 3 == 0 ? 2 : 1, priority: i % 7 == 0 ? PriorityClass.High : PriorityClass.Normal));
            }
            var t = May31;
            var confirmed = 0;
            for (var round = 0; round < 30; round++)
            {
                runtime.EndInstant(t);
                Confirm(runtime, effects, ref confirmed);
                foreach (var id in runtime.State.Running.Keys.OrderBy(k => k.Value).Take(2).ToList())
                {
                    runtime.OnEnded(id, runtime.Jobs.Attempt[runtime.Jobs.SlotOf(id)], JobEnd.Exited(0));
                }
                t += 10;
                runtime.AdvanceTo(t);
                log.Add(string.Join(",", Enumerable.Range(0, runtime.Jobs.Count).Select(s => $"{runtime.Jobs.Phase[s]}:{runtime.Jobs.Attempt[s]}")));
            }
            log.Add(string.Join(";", effects.Dispatches.Select(d => $"{d.Job.Id}/{d.Attempt}/{d.Job.Placement.Nodes[0]}/{d.Job.Placement.GpuMasks[0]}")));
            return log;
        }
        var without = Run(new RuntimeOptions());
        Assert.Equal(without, Run(new RuntimeOptions { LookAheadGpus = [0] }));
        Assert.Equal(without, Run(new RuntimeOptions { LookAheadGpus = [] }));
    }
}
