using Serai.Core.Jobs;
using Serai.Core.Model;

namespace Serai.Core.Synthetic;

/// <summary>
/// Random jobs for a hub, sized like the ITP traces (most jobs 1 GPU, some 2–8, a few 16–256-GPU gangs), with a
/// mix of classes, stacks, datasets, AI systems, deferrable and checkpointable work.
/// </summary>
public static class SyntheticJobs
{
    private static readonly int[] Sizes = [1, 1, 1, 1, 1, 1, 2, 2, 4, 4, 8, 8, 8, 16, 32, 64, 128, 256];

    public static JobSpec Next(Random random, HubModel hub, long id, long submitUnix)
    {
        var tenant = random.Next(hub.Tenants.Length);
        var gpus = Sizes[random.Next(Sizes.Length)];
        var priority = (PriorityClass)random.Next(5) is var p && hub.Tenants[tenant].MayUse(p) ? p : PriorityClass.Normal;
        var stacks = random.Next(4) == 0 ? (uint)((1 << hub.Stacks.Length) - 1) : 1u << random.Next(hub.Stacks.Length);
        var datasets = random.Next(4) == 0 && hub.Datasets.Length > 0 ? new[] { random.Next(hub.Datasets.Length) } : [];
        var estimate = 600L + random.Next(48 * 3600);
        return new JobSpec
        {
            Id = new JobId(id),
            Tenant = tenant,
            Gpus = gpus,
            GpusPerNode = gpus > 8 ? 8 : 0,
            StackMask = stacks,
            MinGpuMemoryGb = random.Next(5) == 0 ? 80 : 0,
            Priority = priority,
            SubmitUnix = submitUnix,
            EstimatedSeconds = random.Next(5) == 0 ? null : estimate,
            DeadlineUnix = random.Next(3) == 0 ? submitUnix + estimate * 3 : null,
            Deferrable = random.Next(3) == 0,
            Checkpointable = random.Next(2) == 0,
            Datasets = datasets,
            AiSystem = random.Next(6) == 0 && hub.AiSystems.Length > 0 ? random.Next(hub.AiSystems.Length) : -1,
            PowerFraction = 0.5 + random.NextDouble() * 0.5,
        };
    }

    public static List<PendingJob> Queue(Random random, HubModel hub, int count, long submitUnix) =>
        Enumerable.Range(1, count).Select(i => new PendingJob(Next(random, hub, i, submitUnix - count + i))).ToList();
}
