using System.Numerics;
using Serai.Core.State;
using Serai.Scheduling.Filters;

namespace Serai.Scheduling.Tests.Support;

/// <summary>Safety invariants recomputed from the running jobs alone, independent of the scheduler's bookkeeping.</summary>
public static class Invariants
{
    public static IEnumerable<string> Violations(HubState state, long nowUnix)
    {
        var hub = state.Hub;
        var used = new Dictionary<(int Pool, int Node), ulong>();
        var shared = new Dictionary<(int Pool, int Node, int Gpu), int>();
        var share = new double[hub.Pools.Length];
        var itWatts = hub.Sites.Select(s => s.PoolIndexes.Sum(p => hub.Pools[p].IdleWatts)).ToArray();
        foreach (var job in state.Running.Values)
        {
            var p = job.Placement;
            var pool = hub.Pools[p.Pool];
            for (var i = 0; i < p.Nodes.Length; i++)
            {
                var key = (p.Pool, p.Nodes[i]);
                var before = used.GetValueOrDefault(key);
                if (job.Spec.SharesGpu)
                {
                    var gpuKey = (p.Pool, p.Nodes[i], BitOperations.TrailingZeroCount(p.GpuMasks[i]));
                    shared[gpuKey] = shared.GetValueOrDefault(gpuKey) + job.Spec.GpuMilli;
                    if (BitOperations.PopCount(p.GpuMasks[i]) != 1)
                    {
                        yield return $"GPU share: job {job.Id} asks for part of one GPU and holds {BitOperations.PopCount(p.GpuMasks[i])}";
                    }
                    continue;
                }
                if ((before & p.GpuMasks[i]) != 0)
                {
                    yield return $"GPU used twice: pool {pool.Name} node {p.Nodes[i]}";
                }
                if (BitOperations.PopCount(p.GpuMasks[i]) > pool.GpusPerNode || (p.GpuMasks[i] >> pool.GpusPerNode) != 0 && pool.GpusPerNode < 64)
                {
                    yield return $"GPU index beyond the node: job {job.Id}";
                }
                used[key] = before | p.GpuMasks[i];
            }
            share[p.Pool] += job.Spec.GpuShare;
            if (p.Gpus != job.Spec.Gpus)
            {
                yield return $"gang of job {job.Id} got {p.Gpus} of {job.Spec.Gpus} GPUs";
            }
            var site = hub.Sites[pool.Site];
            if ((ResidencyFilter.AllowedCountries(hub, job.Spec) & site.CountryMask) == 0)
            {
                yield return $"residency: job {job.Id} runs in {site.Country}";
            }
            if (job.Spec.AiSystem >= 0 && !state.AiSystems[job.Spec.AiSystem].MayRun)
            {
                yield return $"unapproved high-risk system {state.AiSystems[job.Spec.AiSystem].Id} placed (job {job.Id})";
            }
            if ((job.Spec.StackMask & (1u << pool.Accelerator.StackBit)) == 0)
            {
                yield return $"stack: job {job.Id} on {pool.Accelerator.Stack}";
            }
            itWatts[pool.Site] += pool.BusyDeltaWatts(Math.Min(job.Spec.GpuShare, p.Gpus), job.PowerFraction);
        }
        foreach (var ((pool, node, gpu), milli) in shared)
        {
            if (milli > 1000)
            {
                yield return $"GPU over 1,000 milli: pool {hub.Pools[pool].Name} node {node} GPU {gpu} holds {milli}";
            }
            if ((used.GetValueOrDefault((pool, node)) & (1UL << gpu)) != 0)
            {
                yield return $"GPU shared with a whole-GPU job: pool {hub.Pools[pool].Name} node {node} GPU {gpu}";
            }
        }
        for (var p = 0; p < hub.Pools.Length; p++)
        {
            var wholeOrShared = used.Where(u => u.Key.Pool == p).Sum(u => BitOperations.PopCount(u.Value)) + shared.Keys.Count(k => k.Pool == p);
            if (share[p] > hub.Pools[p].Gpus + 1e-9 || wholeOrShared + state.Pools[p].FreeGpus > hub.Pools[p].Gpus)
            {
                yield return $"GPU capacity of pool {hub.Pools[p].Name} exceeded: {share[p]:F3} GPUs' worth running, {wholeOrShared} GPUs held and {state.Pools[p].FreeGpus} free of {hub.Pools[p].Gpus}";
            }
        }
        for (var s = 0; s < hub.Sites.Length; s++)
        {
            var c = state.Conditions(s, nowUnix);
            var busy = state.Running.Values.Any(j => hub.Pools[j.Placement.Pool].Site == s);
            if (busy && itWatts[s] > c.ItLimitWatts * (1 + 1e-9) + 1e-3)
            {
                yield return $"site {hub.Sites[s].Name}: IT {itWatts[s]:F0} W over limit {c.ItLimitWatts:F0} W (cap {c.ItCapWatts:F0}, cooling {c.CoolingCapacityWatts:F0}, grid/PUE {c.GridWatts / c.Pue:F0})";
            }
        }
    }
}
