using Serai.Core.Jobs;
using Serai.Scheduling;
using Serai.Simulation.Engine;
using Serai.Simulation.Tests.Support;

namespace Serai.Simulation.Tests.Engine;

public class SimulatorTests
{
    private static readonly SimulationOptions Options = new() { StartUnix = TestHubs.Start };

    [Fact]
    public void All_events_at_one_timestamp_are_handled_before_a_single_cycle()
    {
        var hub = TestHubs.Tiny();
        var workload = TestHubs.Workload(hub, (100, 1, 50), (100, 2, 50), (100, 3, 50));
        var policy = new GreedyPolicy();
        new Simulator(hub, workload, policy, Options).Run();
        var at100 = policy.Cycles.Where(c => c.Now == TestHubs.Start + 100).ToArray();
        Assert.Single(at100);
        Assert.Equal(3, at100[0].Queue);
    }

    [Fact]
    public void A_completion_frees_its_GPUs_before_an_arrival_at_the_same_second()
    {
        var hub = TestHubs.Tiny(nodes: 1);
        var workload = TestHubs.Workload(hub, (0, 8, 100), (100, 8, 10));
        var policy = new GreedyPolicy();
        var sim = new Simulator(hub, workload, policy, Options);
        sim.Run();
        Assert.Equal(TestHubs.Start + 100, sim.Jobs.FirstStartUnix[1]);
        Assert.Equal(TestHubs.Start + 110, sim.Jobs.EndUnix[1]);
    }

    [Fact]
    public void The_scheduler_is_skipped_when_nothing_that_could_change_a_decision_happened()
    {
        var hub = TestHubs.Tiny();
        var workload = TestHubs.Workload(hub, (0, 1, 30 * 3600));
        var policy = new GreedyPolicy();
        var sim = new Simulator(hub, workload, policy, Options);
        sim.Run();
        // one cycle at the arrival; hour ticks with an empty queue and a steady job still run the envelope check
        Assert.All(policy.Cycles.Skip(1), c => Assert.Equal(0, c.Queue));
        Assert.True(sim.Counters.CyclesSkipped >= 1);
        Assert.Equal(JobStatus.Completed, sim.Status(0));
    }

    [Fact]
    public void A_throttled_job_runs_at_the_square_root_of_its_power_ratio()
    {
        var hub = TestHubs.Tiny();
        var workload = TestHubs.Workload(hub, (0, 8, 10_000), (1000, 1, 10));
        var policy = new GreedyPolicy();
        // the second arrival makes a cycle at t=1000; there throttle from 0.8 to 0.4 of TDP: speed sqrt(0.5) for the 9,000 s left
        policy.Scripted[TestHubs.Start + 1000] = [Decision.Throttle(new JobId(0), 0.4, new Reason(ReasonCode.EnvelopeThrottle, "test"))];
        var sim = new Simulator(hub, workload, new ScriptAt(policy, TestHubs.Start + 1000), Options);
        sim.Run();
        var expected = TestHubs.Start + 1000 + (long)Math.Ceiling(9000 / Math.Sqrt(0.5));
        Assert.InRange(sim.Jobs.EndUnix[0], expected - 1, expected + 1);
    }

    [Fact]
    public void A_preempted_checkpointable_job_keeps_the_work_up_to_its_last_checkpoint()
    {
        var hub = TestHubs.Tiny(nodes: 1);
        var spec = TestHubs.Job(hub, 0, 8, checkpointable: true);
        var workload = Serai.Simulation.Workloads.Workload.Create([spec, TestHubs.Job(hub, 6300, 1)], [4 * 3600, 10]);
        var policy = new GreedyPolicy();
        var at = TestHubs.Start + 6300; // 1 h 45 min of work: the checkpoint at 1 h 30 min is kept
        policy.Scripted[at] = [Decision.Preempt(new JobId(0), new JobId(1), new Reason(ReasonCode.PreemptedForPriority, "test"))];
        var sim = new Simulator(hub, workload, new ScriptAt(policy, at), Options);
        sim.Run();
        Assert.Equal(1, sim.Jobs.Preemptions[0]);
        // placed again at the next cycle (the hour tick), with 4 h − 1 h 30 min of work left
        var restart = sim.Jobs.LastStartUnix[0];
        Assert.Equal(restart + (4 * 3600 - 5400), sim.Jobs.EndUnix[0]);
    }

    [Fact]
    public void A_preempted_job_without_checkpoints_starts_over()
    {
        var hub = TestHubs.Tiny(nodes: 1);
        var workload = TestHubs.Workload(hub, (0, 8, 4 * 3600), (6300, 1, 10));
        var policy = new GreedyPolicy();
        var at = TestHubs.Start + 6300;
        policy.Scripted[at] = [Decision.Preempt(new JobId(0), new JobId(1), new Reason(ReasonCode.PreemptedForPriority, "test"))];
        var sim = new Simulator(hub, workload, new ScriptAt(policy, at), Options);
        sim.Run();
        Assert.Equal(sim.Jobs.LastStartUnix[0] + 4 * 3600, sim.Jobs.EndUnix[0]);
    }

    [Fact]
    public void A_deferred_job_waits_for_its_wake_up()
    {
        var hub = TestHubs.Tiny();
        var workload = TestHubs.Workload(hub, (10, 1, 100));
        var policy = new GreedyPolicy();
        var until = TestHubs.Start + 5000;
        policy.Scripted[TestHubs.Start + 10] = [Decision.Defer(new JobId(0), until, new Reason(ReasonCode.DeferredForCleanerHour, "test"))];
        var sim = new Simulator(hub, workload, new DeferFirst(policy, TestHubs.Start + 10), Options);
        sim.Run();
        Assert.Equal(until, sim.Jobs.FirstStartUnix[0]);
        Assert.Equal(1, sim.Counters.Deferrals);
    }

    [Fact]
    public void A_run_whose_queue_never_moves_stops_after_the_stall_limit_with_the_job_unfinished()
    {
        var hub = TestHubs.Tiny();
        var workload = TestHubs.Workload(hub, (0, 1, 100));
        var policy = new GreedyPolicy { PlaceNothing = true };
        var sim = new Simulator(hub, workload, policy, Options with { MaxStallHours = 5 });
        sim.Run();
        Assert.Equal(JobStatus.Unfinished, sim.Status(0));
        Assert.InRange(sim.NowUnix - TestHubs.Start, 5 * 3600, 7 * 3600);
    }

    /// <summary>Returns only the scripted decisions at <paramref name="at"/> (so a preempted job is not placed again in the same cycle).</summary>
    private sealed class ScriptAt(GreedyPolicy inner, long at) : ISchedulingPolicy
    {
        public string Name => inner.Name;

        public CycleResult Schedule(Core.State.HubState state, IReadOnlyList<PendingJob> queue, long nowUnix)
        {
            if (nowUnix != at)
            {
                return inner.Schedule(state, queue, nowUnix);
            }
            return new CycleResult(inner.Scripted[at], queue.Count, 0, 0, 0, 0, 0);
        }
    }

    /// <summary>Defers at <paramref name="at"/>, then places greedily once the job is eligible.</summary>
    private sealed class DeferFirst(GreedyPolicy inner, long at) : ISchedulingPolicy
    {
        public string Name => inner.Name;

        public CycleResult Schedule(Core.State.HubState state, IReadOnlyList<PendingJob> queue, long nowUnix) =>
            nowUnix == at ? new CycleResult(inner.Scripted[at], queue.Count, 0, 0, 0, 1, 0) : inner.Schedule(state, queue, nowUnix);
    }
}
