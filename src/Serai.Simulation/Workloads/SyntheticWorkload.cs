using Serai.Core.Jobs;
using Serai.Core.Model;

namespace Serai.Simulation.Workloads;

/// <summary>
/// A seeded synthetic workload of the hub's own tenants: emergency bursts (all stacks, minutes to hours), multi-week
/// LLM training gangs of 256–1024 GPUs, deferrable checkpointed batch with deadlines, many small student jobs and
/// ordinary jobs. Arrivals are spread so the hub runs at about <see cref="SyntheticOptions.TargetLoad"/>; estimates
/// equal the true durations, as in the trace mapping's default.
/// </summary>
public static class SyntheticWorkload
{
    public static Workload Generate(HubModel hub, SyntheticOptions options)
    {
        var random = new Random(options.Seed);
        var roles = new TenantRoles(hub);
        var n = options.Jobs;
        var specs = new JobSpec[n];
        var durations = new long[n];
        var gpuSeconds = 0.0;
        var stacks = new StackMasks(hub.StackMask(["cuda"]), JobMapper.AllStacks(hub), hub.StackMask(["cuda", "rocm"]), hub.StackMask(["cann"]));
        for (var i = 0; i < n; i++)
        {
            var (spec, duration) = Draw(hub, roles, stacks, random, i, n);
            specs[i] = spec;
            durations[i] = duration;
            gpuSeconds += (double)duration * spec.Gpus;
        }
        var span = (long)Math.Max(3600, gpuSeconds / (hub.TotalGpus * options.TargetLoad));
        var burstAt = 0L;
        for (var i = 0; i < n; i++)
        {
            long at;
            if (specs[i].Priority == PriorityClass.Emergency)
            {
                // bursts: an emergency lands within 10 minutes of the previous one half the time
                burstAt = random.NextDouble() < 0.5 && burstAt > 0 ? burstAt + random.NextInt64(600) : random.NextInt64(span);
                at = burstAt;
            }
            else
            {
                at = random.NextInt64(span);
            }
            var submit = options.StartUnix + at;
            var deadline = specs[i].Deferrable ? submit + durations[i] + 3600L * random.Next(24, 73) : (long?)null;
            specs[i] = specs[i] with { SubmitUnix = submit, DeadlineUnix = deadline, EstimatedSeconds = durations[i] };
        }
        return Workload.Create(specs, durations);
    }

    /// <summary>The stack masks the draws use, looked up once per workload.</summary>
    private sealed record StackMasks(uint Cuda, uint All, uint Portable, uint Cann);

    private static (JobSpec Spec, long Duration) Draw(HubModel hub, TenantRoles roles, StackMasks masks, Random random, int i, int n)
    {
        var (cuda, all, portable) = (masks.Cuda, masks.All, masks.Portable);
        var llmEvery = Math.Max(20, n / 20);
        var x = random.NextDouble();
        JobSpec Spec(int tenant, int gpus, PriorityClass priority, uint stacks) => new()
        {
            Id = new JobId(i), Tenant = tenant, Gpus = gpus, StackMask = stacks, Priority = priority, SubmitUnix = 0,
            Checkpointable = random.NextDouble() < 0.6, PowerFraction = 0.8,
        };
        if (i % llmEvery == llmEvery / 2)
        {
            var gpus = 256 << random.Next(3);
            var days = random.Next(7, 29);
            return (Spec(roles.Llm, Math.Min(gpus, hub.TotalGpus / 4 / 8 * 8), PriorityClass.Normal, cuda) with { Checkpointable = true, GpusPerNode = 8 }, days * 86400L);
        }
        if (x < 0.005)
        {
            var spec = Spec(roles.Emergency, 8 << random.Next(4), PriorityClass.Emergency, all) with { Checkpointable = false };
            if (hub.Datasets.Length > 0 && random.NextDouble() < 0.5)
            {
                spec = spec with { Datasets = [0] };
            }
            return (spec, 600 + random.NextInt64(6 * 3600));
        }
        if (x < 0.205)
        {
            return (Spec(roles.Batch, 1 << random.Next(5), PriorityClass.Low, random.NextDouble() < 0.5 ? portable : cuda) with { Deferrable = true, Checkpointable = true },
                3600 + random.NextInt64(11 * 3600));
        }
        if (x < 0.875)
        {
            return (Spec(roles.Students, 1 + random.Next(2), PriorityClass.Normal, random.NextDouble() < 0.3 ? all : cuda), 300 + random.NextInt64(7200));
        }
        var stacks = random.NextDouble() switch
        {
            < 0.6 => cuda,
            < 0.85 => portable,
            < 0.95 => all,
            _ => masks.Cann,
        };
        return (Spec(roles.Other(random), 4 << random.Next(5), PriorityClass.Normal, stacks == 0 ? cuda : stacks), 1800 + random.NextInt64(24 * 3600));
    }

    /// <summary>Which hub tenant plays each role, found by name, else by position.</summary>
    private sealed class TenantRoles
    {
        private readonly int _count;

        public TenantRoles(HubModel hub)
        {
            _count = hub.Tenants.Length;
            int Find(string[] parts, int fallback) =>
                Array.FindIndex(hub.Tenants, t => parts.Any(p => t.Name.Contains(p, StringComparison.OrdinalIgnoreCase))) is var k and >= 0 ? k : fallback % _count;
            Emergency = Find(["emerg"], 0);
            Llm = Find(["llm"], 1);
            Students = Find(["univ", "skills", "student", "edu"], 2);
            Batch = Find(["hydromet"], 3);
            if (!hub.Tenants[Emergency].MayUse(PriorityClass.Emergency))
            {
                Emergency = Math.Max(0, Array.FindIndex(hub.Tenants, t => t.MayUse(PriorityClass.Emergency)));
            }
        }

        public int Emergency { get; }
        public int Llm { get; }
        public int Students { get; }
        public int Batch { get; }

        public int Other(Random random) => random.Next(_count);
    }
}

/// <summary>Size, seed, start and target load of a synthetic workload.</summary>
public sealed record SyntheticOptions(int Jobs, int Seed = 42, long StartUnix = Engine.SimulationOptions.DefaultStartUnix, double TargetLoad = 0.75);
