using Serai.Core.Jobs;
using Serai.Core.State;
using Serai.Scheduling;
using Serai.Simulation.Engine;
using Serai.Simulation.Hubs;
using Serai.Simulation.Metrics;
using Serai.Simulation.Running;
using Serai.Simulation.Tests.Support;

namespace Serai.Simulation.Tests.Metrics;

public class SafetyCheckerTests
{
    /// <summary>Places every job on node 0 of pool 0, ignoring power and residency: the checker must notice.</summary>
    private sealed class Reckless : ISchedulingPolicy
    {
        public string Name => "reckless";

        public CycleResult Schedule(HubState state, IReadOnlyList<PendingJob> queue, long nowUnix) =>
            new(queue.Select(j => Decision.Place(j.Id, new Placement(0, [0], [(1UL << j.Spec.Gpus) - 1]), j.Spec.PowerFraction, new Reason(ReasonCode.Placed, "test"))).ToArray(),
                queue.Count, queue.Count, 0, 0, 0, 0);
    }

    [Fact]
    public void Power_over_the_cap_is_counted_by_the_independent_checker()
    {
        // a cap below the idle draw: any placement is over it
        var hub = new HubBuilder("tight").WithDefaultCatalogue().Site("s", Climate.Astana, 10_000, 1e9, 1e9).Pool("h100", "H100", 2).Tenant("t", 1, 100).Build();
        var run = SimulationRunner.Run(hub, TestHubs.Workload(hub, (0, 8, 100)), new Reckless(), new SimulationOptions { StartUnix = TestHubs.Start });
        Assert.True(run.Summary.Violations.PowerCap > 0);
        Assert.NotEmpty(run.Summary.ViolationMessages);
    }

    [Fact]
    public void GPUs_given_twice_are_refused_and_counted()
    {
        var hub = TestHubs.Tiny();
        var run = SimulationRunner.Run(hub, TestHubs.Workload(hub, (0, 4, 100), (0, 4, 100)), new Reckless(), new SimulationOptions { StartUnix = TestHubs.Start });
        Assert.True(run.Summary.Violations.Total > 0);
    }

    [Fact]
    public void Jain_index_is_one_for_equal_shares_and_one_over_n_for_a_single_user()
    {
        Assert.Equal(1, SummaryBuilder.Jain([2, 2, 2]), 9);
        Assert.Equal(0.25, SummaryBuilder.Jain([4, 0, 0, 0]), 9);
    }

    [Fact]
    public void Service_rates_are_one_over_each_tenants_mean_slowdown_and_skip_tenants_without_finished_jobs()
    {
        var rates = SummaryBuilder.ServiceRates([4.0, 0.0, 30.0], [2, 0, 10]);
        Assert.Equal([0.5, 1.0 / 3.0], rates);
        Assert.Equal(1, SummaryBuilder.Jain(SummaryBuilder.ServiceRates([6.0, 3.0], [2, 1])), 9);
    }

    [Fact]
    public void Percentiles_use_the_nearest_rank()
    {
        var d = Distribution.Of(Enumerable.Range(1, 100).Select(i => (double)i).ToList());
        Assert.Equal(50.5, d.Mean);
        Assert.Equal(50, d.Median);
        Assert.Equal(95, d.P95);
        Assert.Equal(99, d.P99);
        Assert.Equal(100, d.Max);
    }
}
