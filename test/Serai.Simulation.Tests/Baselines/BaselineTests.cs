using Serai.Scheduling.Profiles;
using Serai.Simulation.Engine;
using Serai.Simulation.Tests.Support;
using Serai.Simulation.Workloads;

namespace Serai.Simulation.Tests.Baselines;

/// <summary>The slurm, srtf and las baselines on small hubs, and on the sample with the safety checker.</summary>
public sealed class BaselineTests
{
    private static Workload Jobs(Core.Model.HubModel hub, params (long Submit, int Gpus, long Duration, bool Checkpointable)[] jobs) =>
        Workload.Create(
            jobs.Select(j => TestHubs.Job(hub, j.Submit, j.Gpus, j.Checkpointable) with { EstimatedSeconds = j.Duration }).ToArray(),
            jobs.Select(j => j.Duration).ToArray());

    [Fact]
    public void Slurm_backfills_a_short_job_past_a_blocked_gang_where_fifo_blocks_it()
    {
        var hub = TestHubs.Tiny(nodes: 2);
        // job 0 holds a node for 2 h; gang 1 needs both nodes; job 2 (1 h) fits on the free node before the gang can start
        var workload = Jobs(hub, (0, 8, 7200, false), (10, 16, 3600, false), (20, 8, 3600, false));
        var slurm = Runs.Run(hub, workload, BuiltInProfiles.Slurm);
        var fifo = Runs.Run(hub, workload, BuiltInProfiles.Fifo);
        Assert.Equal(TestHubs.Start + 20, slurm.Simulator.Jobs.FirstStartUnix[2]);
        Assert.Equal(TestHubs.Start + 7200, slurm.Simulator.Jobs.FirstStartUnix[1]); // the gang is not delayed
        Assert.True(fifo.Simulator.Jobs.FirstStartUnix[2] > slurm.Simulator.Jobs.FirstStartUnix[2]);
        Assert.Equal(0, slurm.Summary.Preemptions);
    }

    [Fact]
    public void Srtf_lets_a_short_job_preempt_a_long_checkpointable_one()
    {
        var hub = TestHubs.Tiny(nodes: 1);
        var workload = Jobs(hub, (0, 8, 20_000, true), (600, 8, 600, false));
        var srtf = Runs.Run(hub, workload, BuiltInProfiles.ShortestRemainingTimeFirst);
        Assert.Equal(TestHubs.Start + 600, srtf.Simulator.Jobs.FirstStartUnix[1]);
        Assert.Equal(1, srtf.Summary.Preemptions);
        Assert.Equal(JobStatus.Completed, srtf.Simulator.Status(0));
        var slurm = Runs.Run(hub, workload, BuiltInProfiles.Slurm);
        Assert.Equal(TestHubs.Start + 20_000, slurm.Simulator.Jobs.FirstStartUnix[1]);
    }

    [Fact]
    public void Srtf_never_stops_a_job_that_would_lose_its_work()
    {
        var hub = TestHubs.Tiny(nodes: 1);
        var workload = Jobs(hub, (0, 8, 20_000, false), (600, 8, 600, false));
        var srtf = Runs.Run(hub, workload, BuiltInProfiles.ShortestRemainingTimeFirst);
        Assert.Equal(0, srtf.Summary.Preemptions);
        Assert.Equal(TestHubs.Start + 20_000, srtf.Simulator.Jobs.FirstStartUnix[1]);
    }

    [Fact]
    public void Las_serves_the_least_served_first_and_preempts_only_jobs_of_a_higher_service_level()
    {
        var hub = TestHubs.Tiny(nodes: 1);
        var workload = Jobs(hub, (0, 8, 20_000, true), (300, 8, 100_000, true), (600, 4, 600, false));
        var las = Runs.Run(hub, workload, BuiltInProfiles.LeastAttainedService);
        var start = las.Simulator.Jobs.FirstStartUnix;
        // at 300 s job 0 has received 40 min of GPU-time (level 0): job 1 waits; at 600 s, 80 min (level 1): job 1 preempts it
        Assert.Equal(TestHubs.Start + 600, start[1]);
        // job 2 waits until job 1 has received an hour (level 1); the next cycle is the hour tick
        Assert.Equal(TestHubs.Start + 3600, start[2]);
        // job 0, requeued at level 1, runs again once job 2 ends, before job 1 (level 1, submitted later)
        // job 0, requeued at level 1, runs again once job 2 ends (before job 1, submitted later) until its run reaches
        // level 2 (10 GPU-hours, at 8,700 s); at the next cycle job 1 (level 1) takes the node back and keeps it: a
        // waiting job of level 2 does not preempt one of its own level or lower
        Assert.Equal([2, 1, 0], las.Simulator.Jobs.Preemptions.Take(3).Select(p => (int)p));
        Assert.Equal(TestHubs.Start + 10_800, las.Simulator.Jobs.LastStartUnix[1]);
        Assert.True(las.Simulator.Jobs.EndUnix[1] < las.Simulator.Jobs.EndUnix[0]);
        Assert.Equal(JobStatus.Completed, las.Simulator.Status(0));
        Assert.Equal(JobStatus.Completed, las.Simulator.Status(1));
        Assert.Equal(0, las.Summary.Violations.Total);
    }

    [Theory]
    [InlineData("slurm")]
    [InlineData("srtf")]
    [InlineData("las")]
    public void The_baselines_replay_the_sample_without_a_safety_violation(string policy)
    {
        var hub = Runs.SampleHub();
        var run = Runs.Run(hub, Runs.Sample(hub), BuiltInProfiles.ByName(policy)!);
        Assert.Equal(0, run.Summary.Violations.Total);
        Assert.True(run.Summary.Completed > 5000);
    }
}
