using Serai.Core.Jobs;
using Serai.Scheduling.Profiles;
using Serai.Simulation.Engine;
using Serai.Simulation.Running;
using Serai.Simulation.Tests.Support;
using Serai.Simulation.Workloads;

namespace Serai.Simulation.Tests.Metrics;

/// <summary>Runs with jobs that ask for part of a GPU: they share GPUs, break no rule, and a shared GPU's energy is booked once.</summary>
public class GpuSharingRunTests
{
    private static RunResult Run(params (int Gpus, int Milli)[] jobs)
    {
        var hub = TestHubs.Tiny(nodes: 1); // one node of 8 H100
        var specs = jobs.Select((j, i) => TestHubs.Job(hub, 0, j.Gpus) with { Id = new JobId(i), GpuMilli = j.Milli }).ToArray();
        var workload = Workload.Create(specs, specs.Select(_ => 3600L).ToArray());
        return SimulationRunner.Run(hub, workload, BuiltInProfiles.PriorityFairShare, new SimulationOptions { StartUnix = TestHubs.Start });
    }

    [Fact]
    public void Twenty_four_pods_of_300_milli_run_at_once_on_eight_GPUs_and_break_no_rule()
    {
        var run = Run(Enumerable.Repeat((1, 300), 24).ToArray());
        Assert.Equal(0, run.Summary.Violations.Total);
        Assert.Equal(24, run.Summary.Completed);
        Assert.All(Enumerable.Range(0, 24), i => Assert.Equal(TestHubs.Start, run.Simulator.Jobs.FirstStartUnix[i]));
    }

    [Fact]
    public void A_twenty_fifth_pod_waits_when_every_GPU_has_only_100_milli_left()
    {
        var run = Run(Enumerable.Repeat((1, 300), 24).Append((1, 300)).ToArray());
        Assert.Equal(0, run.Summary.Violations.Total);
        Assert.Equal(TestHubs.Start + 3600, run.Simulator.Jobs.FirstStartUnix[24]);
    }

    [Fact]
    public void Two_halves_of_a_GPU_book_the_energy_of_one_whole_GPU_between_them()
    {
        var run = Run((1, 500), (1, 500), (1, 0));
        var jobs = run.Simulator.Jobs;
        Assert.Equal(0, run.Summary.Violations.Total);
        Assert.Equal(jobs.ItJoules[2], jobs.ItJoules[0] + jobs.ItJoules[1], 1e-6 * jobs.ItJoules[2]);
        Assert.Equal(jobs.CarbonGrams[2], jobs.CarbonGrams[0] + jobs.CarbonGrams[1], 1e-6 * jobs.CarbonGrams[2]);
    }
}
