using Serai.Core.Jobs;
using Serai.Core.Model;
using Serai.Scheduling.Profiles;
using Serai.Simulation.Hubs;
using Serai.Simulation.Scenarios;
using Serai.Simulation.Tests.Support;
using Serai.Simulation.Workloads;

namespace Serai.Simulation.Tests.Scenarios;

public class ScenarioTests
{
    private const long July = 1_782_864_000;

    /// <summary>Two NVIDIA sites of 16 nodes: Astana (cool) and Termez (hot, grid connection 1.3 × IT cap).</summary>
    private static HubModel TwoSites()
    {
        const double nameplate = 16 * (8 * 700 + 3000.0);
        return new HubBuilder("two-sites").WithDefaultCatalogue()
            .Site("kz-astana", Climate.Astana, nameplate * 0.95, nameplate * 0.95 * 1.45, nameplate * 1.1).Pool("h100", "H100", 16)
            .Site("uz-termez", Climate.Termez, nameplate * 0.95, nameplate * 0.95 * 1.3, nameplate * 1.1).Pool("h100", "H100", 16)
            .Link("kz-astana", "uz-termez", 100, 30, true)
            .Tenant("a", 1, 10_000).Tenant("b", 1, 10_000)
            .Build();
    }

    /// <summary>About 80 % load on 256 GPUs for ten days: jobs of 1–8 GPUs and 1–4 hours, all checkpointable.</summary>
    private static Workload Steady(HubModel hub, long start)
    {
        var random = new Random(3);
        var specs = new List<JobSpec>();
        var durations = new List<long>();
        for (var i = 0; i < 5400; i++)
        {
            var duration = 3600L * random.Next(1, 5);
            specs.Add(new JobSpec
            {
                Id = new JobId(i), Tenant = i % 2, Gpus = 1 << random.Next(4), StackMask = hub.StackMask(["cuda"]),
                SubmitUnix = start + random.NextInt64(10 * 86400), EstimatedSeconds = duration, Checkpointable = true,
            });
            durations.Add(duration);
        }
        return Workload.Create(specs, durations);
    }

    [Fact]
    public void A_heat_wave_moves_work_off_the_hot_site_and_keeps_facility_power_under_the_grid()
    {
        var hub = TwoSites();
        var scenario = ScenarioParser.Parse(["heatwave:uz-termez@3+3:+10"], hub, July, July + 20 * 86400, 1);
        var run = Runs.Run(hub, Steady(hub, July), BuiltInProfiles.Serai, scenario, July);
        var wave = run.Summary.HeatWave!;
        Assert.Equal("uz-termez", wave.Site);
        Assert.True(wave.HotSiteShareDuring < wave.BaselineHotSiteShareDuring,
            $"hot site share {wave.HotSiteShareDuring:P1} during the wave, {wave.BaselineHotSiteShareDuring:P1} without it");
        Assert.True(wave.MaxFacilityOverGrid <= 1 + 1e-9, $"facility power reached {wave.MaxFacilityOverGrid:P2} of the grid connection");
        Assert.Equal(0, run.Summary.Violations.Total);
        var hot = run.Metrics.Hours.Where(h => h.Site == 1 && h.HourUnix >= wave.FromUnix && h.HourUnix < wave.ToUnix).ToArray();
        Assert.All(hot, h => Assert.True(h.FacilityWattsMax <= h.GridWatts + 1));
        Assert.Contains(hot, h => h.OutdoorC > 45);
    }

    [Fact]
    public void A_vendor_cutoff_reports_capacity_lost_stranded_jobs_per_tenant_and_delay_added()
    {
        var hub = WithoutBorrowLimits(SampleHubs.CentralAsia(512));
        var workload = SyntheticWorkload.Generate(hub, new SyntheticOptions(4000, 5, TestHubs.Start));
        var scenario = ScenarioParser.Parse(["vendor-gone:Huawei@1"], hub, TestHubs.Start, TestHubs.Start + 40 * 86400, 5);
        var run = Runs.Run(hub, workload, BuiltInProfiles.Serai, scenario);
        var cut = run.Summary.VendorCutoff!;
        var ascend = hub.Pools.Where(p => p.Accelerator.Vendor == "Huawei").Sum(p => p.Gpus);
        Assert.Equal(ascend, cut.GpusLost);
        Assert.Equal((double)ascend / hub.TotalGpus, cut.CapacityLostShare, 6);
        var cannOnly = hub.StackMask(["cann"]);
        var expected = workload.Jobs.Count(j => j.StackMask == cannOnly && j.SubmitUnix >= cut.AtUnix);
        Assert.True(expected > 0);
        Assert.True(cut.StrandedJobs >= expected);
        Assert.Equal(cut.StrandedJobs, cut.StrandedJobsByTenant.Values.Sum());
        Assert.True(cut.MeanJctAddedSeconds >= 0, $"delay added {cut.MeanJctAddedSeconds} s");
        Assert.True(run.Summary.Violations.Total == 0, $"{run.Simulator.Counters.LastInvalidDecision}; " + string.Join("\n", run.Safety.Messages));
    }

    /// <summary>
    /// The region with every tenant free to borrow the whole hub, so that the delay measures the capacity lost. With the
    /// YAML's limits scaled to 512 GPUs (5–75 GPUs), a stranded job no longer takes its tenant's borrowing room, and the
    /// tenant's other jobs can start sooner than without the cut-off.
    /// </summary>
    private static HubModel WithoutBorrowLimits(HubModel hub) => new(hub.Name, hub.Countries, hub.Stacks, hub.Accelerators, hub.Sites, hub.Pools,
        hub.Links, [.. hub.Tenants.Select(t => t with { BorrowLimitGpus = hub.TotalGpus })], hub.Datasets, hub.ConfiguredAiSystems.Systems);

    [Fact]
    public void Scenario_syntax_errors_name_the_value_and_the_syntax()
    {
        var hub = TwoSites();
        var e = Assert.Throws<ArgumentException>(() => ScenarioParser.Parse(["heatwave:nowhere@1+1:+5"], hub, July, July, 1));
        Assert.Contains("site 'nowhere' is not in the hub; sites: kz-astana, uz-termez", e.Message);
        e = Assert.Throws<ArgumentException>(() => ScenarioParser.Parse(["vendor-cutoff:Acme@1"], hub, July, July, 1));
        Assert.Contains("vendor 'Acme'", e.Message);
    }

    [Fact]
    public void The_default_heat_wave_hits_the_hottest_site_on_day_10_for_5_days()
    {
        var hub = TwoSites();
        var s = ScenarioParser.Parse(["heatwave"], hub, July, July, 1);
        var wave = Assert.Single(s.HeatWaves);
        Assert.Equal(1, wave.Site);
        Assert.Equal(July + 10 * 86400, wave.FromUnix);
        Assert.Equal(5 * 86400, wave.ToUnix - wave.FromUnix);
        Assert.Equal(8, wave.OffsetC);
    }

    [Fact]
    public void Node_failures_requeue_their_jobs_and_break_no_rule()
    {
        var hub = TwoSites();
        var scenario = ScenarioParser.Parse(["node-failures:200"], hub, July, July + 12 * 86400, 9);
        Assert.Contains(scenario.Steps, s => s.Kind == StepKind.NodeDown);
        var run = Runs.Run(hub, Steady(hub, July), BuiltInProfiles.Serai, scenario, July);
        Assert.True(run.Summary.FailureRequeues > 0);
        Assert.Equal(0, run.Summary.Violations.Total);
        Assert.Equal(run.Simulator.Jobs.Count, run.Summary.Completed);
    }
}
