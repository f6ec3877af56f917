using Serai.Core.Jobs;
using Serai.Runtime.Lifecycle;
using Serai.Runtime.Tests.Support;
using Serai.Scheduling;
using Serai.Scheduling.Profiles;

using static Serai.Runtime.Tests.Support.OneSiteHub;

namespace Serai.Runtime.Tests;

/// <summary>A site whose own manager cannot be reached is not a failed site: its jobs run on there, unseen (issue 9, "a backend unreachable").</summary>
public class UnreachableSiteTests
{
    private static (HubRuntime Runtime, LaterEffects Effects, ListJournal Journal) Make()
    {
        var effects = new LaterEffects();
        var journal = new ListJournal();
        return (new HubRuntime(Build(), new Scheduler(BuiltInProfiles.PriorityFairShare), new RuntimeOptions(), May31, effects, journal), effects, journal);
    }

    [Fact]
    public void An_unreachable_site_keeps_its_running_jobs_and_their_gpus_takes_no_new_job_and_does_not_shed_power()
    {
        var (runtime, effects, journal) = Make();
        runtime.Submit(Job(1, 8));
        runtime.EndInstant(May31);
        runtime.OnStarted(new JobId(1), 1, "41");
        runtime.AdvanceTo(May31 + 60);
        runtime.SetSiteUnreachable(0, true);
        runtime.Submit(Job(2, 1));
        runtime.EndInstant(May31 + 60);
        Assert.Equal(JobPhase.Running, runtime.Jobs.Phase[0]);
        Assert.Equal(JobPhase.Pending, runtime.Jobs.Phase[1]);
        Assert.Empty(effects.Stops); // neither evicted (it would run twice) nor shed by the envelope (its limit is not 0)
        Assert.Single(effects.Dispatches);
        Assert.Equal(8, runtime.State.Pools[0].FreeGpus); // 16, less the 8 the running job holds
        Assert.True(runtime.State.Conditions(0, May31 + 60).ClosedToNewWork);
        Assert.False(runtime.State.Conditions(0, May31 + 60).Down);

        runtime.AdvanceTo(May31 + 120);
        runtime.SetSiteUnreachable(0, false);
        runtime.OnEnded(new JobId(1), 1, JobEnd.Exited(7)); // what the site ran meanwhile, reported once it answers
        runtime.EndInstant(May31 + 120);
        Assert.Equal(JobPhase.Failed, runtime.Jobs.Phase[0]);
        Assert.Equal(JobPhase.Starting, runtime.Jobs.Phase[1]);
        Assert.Equal(["pending→admitted", "admitted→starting", "starting→running", "running→failed"],
            journal.Moves.Where(m => m.Job == new JobId(1)).Select(m => $"{m.From.Word()}→{m.To.Word()}"));
    }

    [Fact]
    public void A_dispatch_that_could_not_reach_the_site_puts_the_job_back_in_the_queue_and_frees_its_gpus()
    {
        var (runtime, effects, journal) = Make();
        runtime.Submit(Job(1, 4));
        runtime.EndInstant(May31);
        Assert.Equal(JobPhase.Starting, runtime.Jobs.Phase[0]);
        runtime.SetSiteUnreachable(0, true);
        runtime.AdvanceTo(May31 + 30);
        runtime.OnDispatchFailed(new JobId(1), 1, "sbatch: Unable to contact slurm controller (connect failure)", requeue: true);
        runtime.EndInstant(May31 + 30);
        Assert.Equal(JobPhase.Pending, runtime.Jobs.Phase[0]);
        Assert.Empty(runtime.State.Running);
        runtime.SetSiteUnreachable(0, false);
        runtime.AdvanceTo(May31 + 60);
        runtime.EndInstant(May31 + 60);
        Assert.Equal(JobPhase.Starting, runtime.Jobs.Phase[0]);
        Assert.Equal([1, 2], effects.Dispatches.Select(d => d.Attempt));
        Assert.Equal(["pending→admitted", "admitted→starting", "starting→pending", "pending→admitted", "admitted→starting"],
            journal.Moves.Select(m => $"{m.From.Word()}→{m.To.Word()}"));
    }
}
