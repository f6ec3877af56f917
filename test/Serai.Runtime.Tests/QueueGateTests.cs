using Serai.Core.Jobs;
using Serai.Runtime.Journal;
using Serai.Runtime.Lifecycle;
using Serai.Scheduling;
using Serai.Scheduling.Profiles;
using Serai.Runtime.Tests.Support;

using static Serai.Runtime.Tests.Support.OneSiteHub;

namespace Serai.Runtime.Tests;

/// <summary>The host's queue gate (held, dependent, over-limit jobs), a pending job's new spec, and a requeue of a running job.</summary>
public class QueueGateTests
{
    [Fact]
    public void A_job_the_gate_keeps_out_is_not_placed_while_gpus_are_free_and_is_placed_once_let_through()
    {
        var gate = new SetGate { Blocked = { 1 } };
        var runtime = new HubRuntime(Build(), new Scheduler(BuiltInProfiles.PriorityFairShare), new RuntimeOptions(), May31, new LaterEffects()) { QueueGate = gate };
        runtime.Submit(Job(1, 1));
        runtime.Submit(Job(2, 1));

        runtime.EndInstant(May31);
        Assert.Equal(JobPhase.Pending, runtime.Jobs.Phase[0]);
        Assert.Equal(JobPhase.Starting, runtime.Jobs.Phase[1]);
        Assert.Equal([1L, 2L], gate.Asked); // in queue order, once each

        gate.Blocked.Clear();
        runtime.RequestCycle();
        runtime.EndInstant(May31 + 1);
        Assert.Equal(JobPhase.Starting, runtime.Jobs.Phase[0]);
        Assert.Equal(0, runtime.PendingCount);
    }

    [Fact]
    public void A_pending_jobs_new_spec_is_what_the_next_cycle_sees_and_a_placed_job_keeps_its_own()
    {
        var gate = new SetGate { Blocked = { 1 } };
        var runtime = new HubRuntime(Build(), new Scheduler(BuiltInProfiles.PriorityFairShare), new RuntimeOptions(), May31, new LaterEffects()) { QueueGate = gate };
        runtime.Submit(Job(1, 1));
        runtime.Submit(Job(2, 1));
        runtime.EndInstant(May31);

        Assert.True(runtime.UpdatePending(Job(1, 1) with { Name = "renamed", EstimatedSeconds = 60 }));
        Assert.Equal("renamed", runtime.Jobs.Spec[0].Name);
        Assert.Equal("renamed", Assert.Single(runtime.Queue, q => q.Id == new JobId(1)).Spec.Name);
        Assert.False(runtime.UpdatePending(Job(2, 1) with { Name = "too late" }));
        Assert.Null(runtime.Jobs.Spec[1].Name);
        Assert.False(runtime.UpdatePending(Job(3, 1)));
    }

    [Fact]
    public void A_requeued_running_job_is_stopped_then_runs_again_as_its_next_attempt()
    {
        var effects = new LaterEffects();
        var journal = new Journal();
        var runtime = new HubRuntime(Build(), new Scheduler(BuiltInProfiles.PriorityFairShare), new RuntimeOptions(), May31, effects, journal);
        runtime.Submit(Job(1, 8));
        runtime.EndInstant(May31);
        runtime.OnStarted(new JobId(1), 1);
        runtime.AdvanceTo(May31 + 30);

        Assert.True(runtime.RequeueHolding(new JobId(1), "t"));
        Assert.Equal(JobPhase.Stopping, runtime.Jobs.Phase[0]);
        Assert.Single(effects.Stops);
        runtime.OnStopped(new JobId(1), 1);
        Assert.Equal(JobPhase.Pending, runtime.Jobs.Phase[0]);
        runtime.EndInstant(May31 + 31);
        Assert.Equal(JobPhase.Starting, runtime.Jobs.Phase[0]);
        Assert.Equal([1, 2], effects.Dispatches.Select(d => d.Attempt));
        Assert.Contains(journal.Moves, m => m.Action == "requeue" && m.To == JobPhase.Stopping);
        Assert.False(runtime.RequeueHolding(new JobId(99), "t"));
    }

    private sealed class SetGate : IQueueGate
    {
        public HashSet<long> Blocked { get; } = [];
        public List<long> Asked { get; } = [];

        public void BeginCycle(HubRuntime runtime) => Asked.Clear();

        public bool MayOffer(JobSpec spec)
        {
            Asked.Add(spec.Id.Value);
            return !Blocked.Contains(spec.Id.Value);
        }
    }

    private sealed class Journal : IRuntimeJournal
    {
        public List<JobTransition> Moves { get; } = [];

        public void Write(JournalBatch batch) => Moves.AddRange(batch.Transitions);
    }
}
