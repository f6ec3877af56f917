using Serai.Core.Jobs;
using Serai.Core.Model;

namespace Serai.Core.Synthetic;

/// <summary>
/// Random jobs for a hub, sized like the ITP traces (70 % 1 GPU, most others 2–8, 4 % gangs of 16–256), with a
/// mix of classes, stacks, datasets, AI systems, deferrable and checkpointable work.
/// </summary>
public static class SyntheticJobs
{
    private static readonly double[] PowerFractions = [0.6, 0.7, 0.8, 0.9, 1.0];
    private static readonly (int Gpus, int Percent)[] SizeMix = [(1, 70), (2, 10), (4, 8), (8, 8), (16, 2), (32, 1), (64, 0), (128, 1), (256, 0)];
    private static readonly int[] Sizes = SizeMix.SelectMany(s => Enumerable.Repeat(s.Gpus, s.Percent)).Concat([64, 256]).ToArray();

    /// <summary>
    /// A random job; with <paramref name="sharedGpuShare"/> above 0, that share of the one-GPU jobs asks for part of a
    /// GPU (100–900 thousandths), drawn after everything else so that the other draws stay as they were.
    /// </summary>
    public static JobSpec Next(Random random, HubModel hub, long id, long submitUnix, double sharedGpuShare = 0)
    {
        var tenant = random.Next(hub.Tenants.Length);
        var gpus = Sizes[random.Next(Sizes.Length)];
        var priority = (PriorityClass)random.Next(5) is var p && hub.Tenants[tenant].MayUse(p) ? p : PriorityClass.Normal;
        var stacks = random.Next(4) == 0 ? (uint)((1 << hub.Stacks.Length) - 1) : 1u << random.Next(hub.Stacks.Length);
        var datasets = random.Next(4) == 0 && hub.Datasets.Length > 0 ? new[] { random.Next(hub.Datasets.Length) } : [];
        var estimate = 600L + random.Next(48 * 3600);
        var spec = new JobSpec
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
            AiSystem = random.Next(6) == 0 && hub.ConfiguredAiSystems.Count > 0 ? random.Next(hub.ConfiguredAiSystems.Count) : -1,
            PowerFraction = PowerFractions[random.Next(PowerFractions.Length)],
        };
        return sharedGpuShare > 0 && gpus == 1 && random.NextDouble() < sharedGpuShare
            ? spec with { GpuMilli = 100 * (1 + random.Next(9)) }
            : spec;
    }

    public static List<PendingJob> Queue(Random random, HubModel hub, int count, long submitUnix) =>
        Enumerable.Range(1, count).Select(i => new PendingJob(Next(random, hub, i, submitUnix - count + i))).ToList();
}
