using Serai.Core.Catalogue;
using Serai.Scheduling.Profiles;
using Serai.Simulation.Engine;
using Serai.Simulation.Hubs;
using Serai.Simulation.Running;
using Serai.Simulation.Tests.Support;

namespace Serai.Simulation.Tests.Engine;

public sealed class SpeedModelTests
{
    private static readonly Core.Model.AcceleratorSpec[] Models = [.. AcceleratorCatalogue.All, .. TraceAccelerators.All];

    private static RunResult RunOn(Core.Model.AcceleratorSpec model, int gpus, long seconds, SpeedModel speed)
    {
        var hub = new HubBuilder("one").Accelerator(model)
            .Site("site", Climate.Astana, 1e7, 2e7, 2e7).Pool("pool", model.Model, 2)
            .Tenant("t", 1, 100).Build();
        var job = TestHubs.Job(hub, 0, gpus) with { StackMask = 1, EstimatedSeconds = seconds };
        var workload = Serai.Simulation.Workloads.Workload.Create([job], [seconds]);
        return SimulationRunner.Run(hub, workload, BuiltInProfiles.Slurm, new SimulationOptions { StartUnix = TestHubs.Start, Speed = speed });
    }

    [Fact]
    public void A_job_runs_longer_on_a_slower_accelerator_by_the_ratio_of_its_TFLOPS()
    {
        var speed = SpeedModel.RelativeTo("H100");
        var h100 = RunOn(AcceleratorCatalogue.Get("H100"), 8, 3600, speed);
        var ascend = RunOn(AcceleratorCatalogue.Get("Ascend-910B"), 8, 3600, speed);
        Assert.Equal(3600, h100.Simulator.Jobs.EndUnix[0] - h100.Simulator.Jobs.FirstStartUnix[0]);
        Assert.InRange(ascend.Simulator.Jobs.EndUnix[0] - ascend.Simulator.Jobs.FirstStartUnix[0], 3600 * 989 / 320 - 1, 3600 * 989 / 320 + 2);
        var off = RunOn(AcceleratorCatalogue.Get("Ascend-910B"), 8, 3600, SpeedModel.Off);
        Assert.Equal(3600, off.Simulator.Jobs.EndUnix[0] - off.Simulator.Jobs.FirstStartUnix[0]);
    }

    [Fact]
    public void A_throughput_given_in_the_mapping_overrides_the_TFLOPS_ratio()
    {
        var speed = SpeedModel.RelativeTo("H100", new Dictionary<string, double> { ["Ascend-910B"] = 0.5 });
        var ascend = RunOn(AcceleratorCatalogue.Get("Ascend-910B"), 1, 3600, speed);
        Assert.Equal(7200, ascend.Simulator.Jobs.EndUnix[0] - ascend.Simulator.Jobs.FirstStartUnix[0]);
        Assert.Throws<ArgumentException>(() => SpeedModel.RelativeTo("H9000"));
    }

    [Fact]
    public void A_workload_class_of_the_hub_file_overrides_the_speed_of_its_tenants_jobs_only()
    {
        var classes = new[] { new Config.WorkloadClass("llm-training", [0], new Dictionary<string, double> { ["Ascend-910B"] = 0.25 }) };
        var speed = SpeedModel.RelativeTo("H100", new Dictionary<string, double> { ["Ascend-910B"] = 0.5 }).WithClasses(classes);
        var ascend = AcceleratorCatalogue.Get("Ascend-910B");
        var run = RunOn(ascend, 1, 3600, speed);
        Assert.Equal(14_400, run.Simulator.Jobs.EndUnix[0] - run.Simulator.Jobs.FirstStartUnix[0]);
        var model = run.Simulator.Hub.Accelerators[0];
        Assert.Equal(0.5, speed.Relative(model, tenant: 1));
        Assert.Equal(1, SpeedModel.Off.WithClasses(classes).Relative(model, tenant: 0));
    }

    /// <summary>
    /// Property, over seeded random jobs and pairs of accelerators: on the slower one the job's booked energy is never
    /// below what its work needs there (its GPUs at their power for work ÷ speed), and never below its energy on the
    /// faster one scaled by their power-per-work ratio.
    /// </summary>
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(5)]
    [InlineData(6)]
    [InlineData(7)]
    [InlineData(8)]
    public void Moving_a_job_to_a_slower_accelerator_never_lowers_its_energy_below_what_its_work_needs_there(int seed)
    {
        var random = new Random(seed);
        for (var round = 0; round < 5; round++)
        {
            var reference = Models[random.Next(Models.Length)];
            var pair = new[] { Models[random.Next(Models.Length)], Models[random.Next(Models.Length)] }.OrderByDescending(m => m.Bf16Tflops).ToArray();
            var (fast, slow) = (pair[0], pair[1]);
            var gpus = 1 + random.Next(8);
            var work = 60 + random.NextInt64(20_000);
            var speed = SpeedModel.RelativeTo(reference.Model);
            var onSlow = RunOn(slow, gpus, work, speed);
            var onFast = RunOn(fast, gpus, work, speed);
            var slowSpeed = slow.Bf16Tflops / reference.Bf16Tflops;
            var needed = gpus * slow.TdpWatts * 0.8 * (work / slowSpeed);
            var booked = onSlow.Simulator.Jobs.ItJoules[0];
            Assert.True(booked >= needed * (1 - 1e-6), $"{slow.Model}: booked {booked:F0} J < needed {needed:F0} J (ref {reference.Model}, {gpus} GPUs, {work} s)");
            var ran = onSlow.Simulator.Jobs.EndUnix[0] - onSlow.Simulator.Jobs.FirstStartUnix[0];
            Assert.True(ran >= work / slowSpeed - 1, $"{slow.Model} ran {ran} s for {work / slowSpeed:F0} s of work");
            Assert.True(onSlow.Simulator.Jobs.EndUnix[0] - onSlow.Simulator.Jobs.FirstStartUnix[0] >= onFast.Simulator.Jobs.EndUnix[0] - onFast.Simulator.Jobs.FirstStartUnix[0]);
        }
    }
}
