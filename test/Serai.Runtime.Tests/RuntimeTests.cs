using Serai.Core.Jobs;
using Serai.Core.Model;
using Serai.Runtime.Lifecycle;
using Serai.Scheduling;
using Serai.Scheduling.Profiles;
using Serai.Runtime.Tests.Support;

using static Serai.Runtime.Tests.Support.OneSiteHub;

namespace Serai.Runtime.Tests;

/// <summary>The runtime's lifecycle, stops confirmed later, and accounting across a month boundary.</summary>
public class RuntimeTests
{
    private static JobSpec Job(long id, int gpus, PriorityClass priority = PriorityClass.Normal) => new()
    {
        Id = new JobId(id), Tenant = 0, Gpus = gpus, StackMask = 1, SubmitUnix = May31, Priority = priority, EstimatedSeconds = 3600,
    };

    [Fact]
    public void The_state_machine_refuses_moves_it_does_not_have()
    {
        Assert.True(JobLifecycle.CanMove(JobPhase.Pending, JobPhase.Admitted));
        Assert.True(JobLifecycle.CanMove(JobPhase.Stopping, JobPhase.Pending));
        Assert.False(JobLifecycle.CanMove(JobPhase.Succeeded, JobPhase.Running));
        Assert.False(JobLifecycle.CanMove(JobPhase.Pending, JobPhase.Running));
        Assert.False(JobLifecycle.CanMove(JobPhase.Cancelled, JobPhase.Pending));
        Assert.Throws<InvalidOperationException>(() => JobLifecycle.Check(JobPhase.Failed, JobPhase.Running, 7));
    }

    [Fact]
    public void A_cancelled_running_job_frees_its_gpus_for_the_state_and_ends_only_when_its_backend_confirms()
    {
        var effects = new LaterEffects();
        var journal = new ListJournal();
        var runtime = new HubRuntime(Build(), new Scheduler(BuiltInProfiles.PriorityFairShare), new RuntimeOptions(), May31, effects, journal);
        runtime.Submit(Job(10, 8));
        runtime.EndInstant(May31);
        Assert.Equal(JobPhase.Starting, runtime.Jobs.Phase[0]);
        runtime.OnStarted(new JobId(10), 1, "pid 1");
        Assert.Equal(JobPhase.Running, runtime.Jobs.Phase[0]);
        runtime.AdvanceTo(May31 + 60);
        Assert.Equal(CancelResult.Stopping, runtime.Cancel(new JobId(10), "t"));
        Assert.Equal(JobPhase.Stopping, runtime.Jobs.Phase[0]);
        Assert.Empty(runtime.State.Running);
        Assert.Single(effects.Stops);
        runtime.OnStopped(new JobId(10), 1);
        Assert.Equal(JobPhase.Cancelled, runtime.Jobs.Phase[0]);
        Assert.Equal(["pending→admitted", "admitted→starting", "starting→running", "running→stopping", "stopping→cancelled"],
            journal.Moves.Select(m => $"{m.From.Word()}→{m.To.Word()}"));
        var stretch = Assert.Single(journal.Usage);
        Assert.Equal(60, stretch.EndUnix - stretch.StartUnix);
    }

    [Fact]
    public void A_command_that_ends_before_its_start_is_reported_is_recorded_as_started_then_ended()
    {
        var journal = new ListJournal();
        var runtime = new HubRuntime(Build(), new Scheduler(BuiltInProfiles.PriorityFairShare), new RuntimeOptions(), May31, new LaterEffects(), journal);
        runtime.Submit(Job(11, 1));
        runtime.EndInstant(May31);
        runtime.AdvanceTo(May31 + 1);
        runtime.OnEnded(new JobId(11), 1, JobEnd.Exited(0)); // `true` exited before the backend said it started
        runtime.OnStarted(new JobId(11), 1, "pid 2"); // the late report changes nothing
        Assert.Equal(JobPhase.Succeeded, runtime.Jobs.Phase[0]);
        Assert.Equal(["pending→admitted", "admitted→starting", "starting→running", "running→succeeded"],
            journal.Moves.Select(m => $"{m.From.Word()}→{m.To.Word()}"));
        Assert.Empty(runtime.State.Running);
    }

    [Fact]
    public void A_preemptor_starts_only_after_its_victims_stop_is_confirmed()
    {
        var effects = new LaterEffects();
        var runtime = new HubRuntime(Build(), new Scheduler(BuiltInProfiles.PriorityFairShare), new RuntimeOptions(), May31, effects);
        runtime.Submit(Job(1, 16, PriorityClass.Preemptible));
        runtime.EndInstant(May31);
        runtime.OnStarted(new JobId(1), 1);
        runtime.AdvanceTo(May31 + 10);
        runtime.Submit(Job(2, 8, PriorityClass.Emergency));
        runtime.EndInstant(May31 + 10);
        Assert.Equal(JobPhase.Stopping, runtime.Jobs.Phase[0]);
        Assert.Equal(JobPhase.Admitted, runtime.Jobs.Phase[1]);
        Assert.DoesNotContain(effects.Dispatches, d => d.Job.Id.Value == 2);
        runtime.OnStopped(new JobId(1), 1);
        Assert.Contains(effects.Dispatches, d => d.Job.Id.Value == 2);
        Assert.Equal(JobPhase.Starting, runtime.Jobs.Phase[1]);
        Assert.Equal(JobPhase.Pending, runtime.Jobs.Phase[0]);
        Assert.Equal(1, runtime.Jobs.Preemptions[0]);
    }

    [Fact]
    public void A_stretch_across_a_month_boundary_is_booked_in_two_parts_that_add_up_hour_by_hour()
    {
        var effects = new LaterEffects();
        var journal = new ListJournal();
        var runtime = new HubRuntime(Build(), new Scheduler(BuiltInProfiles.PriorityFairShare), new RuntimeOptions(), May31 + 20 * 3600, effects, journal);
        runtime.Submit(Job(5, 8));
        runtime.EndInstant(runtime.NowUnix);
        runtime.OnStarted(new JobId(5), 1);
        runtime.AdvanceTo(May31 + 30 * 3600); // 2026-06-01T06:00Z
        runtime.OnEnded(new JobId(5), 1, JobEnd.Exited(0));
        Assert.Equal(2, journal.Usage.Count);
        Assert.Equal(May31 + 24 * 3600, journal.Usage[0].EndUnix);
        Assert.Equal(May31 + 24 * 3600, journal.Usage[1].StartUnix);
        var watts = 8 * 700 * 0.8 + 8 * 3000 / 8.0;
        Assert.Equal(watts * 10 / 1000, journal.Usage.Sum(u => u.ItKwh), 6);
        Assert.Equal(runtime.Jobs.FacilityJoules[0] / 3.6e6, journal.Usage.Sum(u => u.FacilityKwh), 9);
        Assert.Equal(journal.Usage.Sum(u => u.FacilityKwh) * 500 / 1000, journal.Usage.Sum(u => u.Co2Kg), 9);
    }
}
