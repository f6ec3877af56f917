using Serai.Core.Model;
using Serai.Simulation.Hubs;
using Serai.Simulation.Traces;
using Serai.Simulation.Workloads;

namespace Serai.Simulation.Tests.Workloads;

public class MappingTests
{
    private static readonly TraceJob[] Trace =
        Enumerable.Range(0, 2000).Select(i => new TraceJob($"j{i}", 1000 + i * 10, 600, 1 + i % 8, i % 2 == 0 ? "vc-a" : "vc-b")).ToArray();

    [Fact]
    public void Tenants_map_by_the_mapping_and_the_trace_clock_is_rebased_to_the_start()
    {
        var hub = SampleHubs.CentralAsia(512);
        var mapping = new TraceMapping { Tenants = new(StringComparer.OrdinalIgnoreCase) { ["vc-a"] = "ai-skills", ["vc-b"] = "startups" } };
        var w = new JobMapper(hub, mapping).Map(Trace, 5_000_000);
        Assert.Equal(5_000_000, w.Jobs[0].SubmitUnix);
        Assert.Equal(hub.TenantIndex("ai-skills"), w.Jobs[0].Tenant);
        Assert.Equal(hub.TenantIndex("startups"), w.Jobs[1].Tenant);
        Assert.Equal("j0", w.NameOf(0));
    }

    [Fact]
    public void Shares_and_priority_mix_are_drawn_with_the_seed()
    {
        var hub = SampleHubs.CentralAsia(512);
        // Tenants that may use the low class: unmapped trace tenants would land on kz-emergencies, which may not.
        var mapping = new TraceMapping
        {
            Tenants = new(StringComparer.OrdinalIgnoreCase) { ["vc-a"] = "startups", ["vc-b"] = "ai-skills" },
            DeferrableShare = 0.3, CheckpointableShare = 0.6, Seed = 11,
            PriorityMix = new() { ["normal"] = 0.8, ["low"] = 0.2 },
            Stacks = new() { ["cuda"] = 0.5, ["cuda,rocm"] = 0.5 },
        };
        var w = new JobMapper(hub, mapping).Map(Trace, 0);
        Assert.InRange(w.Jobs.Count(j => j.Deferrable) / 2000.0, 0.25, 0.35);
        Assert.InRange(w.Jobs.Count(j => j.Checkpointable) / 2000.0, 0.55, 0.65);
        Assert.InRange(w.Jobs.Count(j => j.Priority == PriorityClass.Low) / 2000.0, 0.15, 0.25);
        Assert.InRange(w.Jobs.Count(j => j.StackMask == hub.StackMask(["cuda"])) / 2000.0, 0.45, 0.55);
        Assert.All(w.Jobs.Where(j => j.Deferrable), j => Assert.NotNull(j.DeadlineUnix));
        var again = new JobMapper(hub, mapping).Map(Trace, 0);
        Assert.Equal(w.Jobs.Select(j => (j.Deferrable, j.Checkpointable, j.Priority, j.StackMask)), again.Jobs.Select(j => (j.Deferrable, j.Checkpointable, j.Priority, j.StackMask)));
    }

    [Fact]
    public void Unknown_names_in_the_mapping_are_errors_that_list_what_exists()
    {
        var hub = SampleHubs.CentralAsia(512);
        var mapping = new TraceMapping { Tenants = new(StringComparer.OrdinalIgnoreCase) { ["vc-a"] = "nobody" } };
        var e = Assert.Throws<ArgumentException>(() => new JobMapper(hub, mapping).Map(Trace, 0));
        Assert.Contains("'nobody'", e.Message);
        Assert.Contains("ai-skills", e.Message);
        Assert.Throws<ArgumentException>(() => new JobMapper(hub, new TraceMapping { Stacks = new() { ["opencl"] = 1 } }));
    }

    [Fact]
    public void A_mapping_file_is_read_and_bad_values_are_named()
    {
        var path = Path.GetTempFileName();
        File.WriteAllText(path, """{ "deferrableShare": 1.5 }""");
        var e = Assert.Throws<ArgumentException>(() => TraceMapping.Load(path));
        Assert.Contains("deferrableShare is 1.5; allowed 0..1", e.Message);
        File.WriteAllText(path, """{ "tenants": { "cluster01": "university" }, "checkpointableShare": 0.25 }""");
        var mapping = TraceMapping.Load(path);
        Assert.Equal("university", mapping.Tenants["CLUSTER01"]);
        Assert.Equal(0.25, mapping.CheckpointableShare);
        File.Delete(path);
    }
}
