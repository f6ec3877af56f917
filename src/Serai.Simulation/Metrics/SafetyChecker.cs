using Serai.Runtime.Lifecycle;
using Serai.Core.Jobs;
using Serai.Core.Model;
using Serai.Simulation.Engine;

namespace Serai.Simulation.Metrics;

/// <summary>
/// Checks every placement and, after every timestamp's cycle, every site's power — from its own bookkeeping and the
/// hub model, not from the scheduler's: GPUs used twice or on down nodes or closed pools, wrong stack or memory,
/// IT cap, cooling, grid (facility power), data residency and unapproved high-risk AI systems. Jobs asking for part of
/// a GPU may share one up to 1,000 thousandths; a whole-GPU job never shares. Must find nothing.
/// </summary>
public sealed class SafetyChecker : ISimulationObserver
{
    public const int KeptMessages = 20;
    private ulong[][] _used = [];
    private readonly Dictionary<(int Pool, int Node, int Gpu), int> _sharedMilli = [];
    private double[] _busyWatts = [];
    private double[] _idleWatts = [];
    private readonly List<string> _messages = [];

    public SafetyViolations Violations { get; } = new();
    public IReadOnlyList<string> Messages => _messages;

    public void OnJobStarted(Simulator sim, int job, long nowUnix)
    {
        var hub = sim.Hub;
        if (_used.Length == 0)
        {
            _used = hub.Pools.Select(p => new ulong[p.Nodes]).ToArray();
            _busyWatts = new double[hub.Sites.Length];
            _idleWatts = hub.Sites.Select(s => s.PoolIndexes.Sum(p => hub.Pools[p].IdleWatts)).ToArray();
        }
        var spec = sim.Workload.Jobs[job];
        var placement = sim.Jobs.Placement[job]!;
        var pool = hub.Pools[placement.Pool];
        var site = hub.Sites[pool.Site];
        var gpus = 0;
        for (var i = 0; i < placement.Nodes.Length; i++)
        {
            var node = placement.Nodes[i];
            var mask = placement.GpuMasks[i];
            gpus += System.Numerics.BitOperations.PopCount(mask);
            if ((_used[pool.Index][node] & mask) != 0 || (mask & ~AllGpus(pool)) != 0 || sim.State.Pools[pool.Index].IsDown(node))
            {
                Add(() => Violations.Capacity++, $"job {job}: GPUs on {pool.QualifiedName(hub)} node {node} already in use, absent or down");
            }
            if (spec.SharesGpu)
            {
                ShareGpu(hub, pool, node, mask, job, spec.GpuMilli);
                continue;
            }
            if (SharedOn(pool.Index, node, mask))
            {
                Add(() => Violations.Capacity++, $"job {job}: a whole-GPU job placed on a GPU shared by other jobs on {pool.QualifiedName(hub)} node {node}");
            }
            _used[pool.Index][node] |= mask;
        }
        if (gpus != spec.Gpus || sim.State.Pools[pool.Index].ClosedToNewWork || sim.State.Override(pool.Site).Down)
        {
            Add(() => Violations.Capacity++, $"job {job}: {gpus} GPUs of {spec.Gpus} placed, or placed on a closed pool or a down site");
        }
        var a = pool.Accelerator;
        if ((spec.StackMask & (1u << a.StackBit)) == 0 || a.MemoryGb < spec.MinGpuMemoryGb || (spec.Accelerator >= 0 && spec.Accelerator != a.Index))
        {
            Add(() => Violations.Stack++, $"job {job}: {a.Model} does not run its stacks ({hub.StackNames(spec.StackMask)}) or memory");
        }
        var residencyOk = (hub.Tenants[spec.Tenant].AllowedCountriesMask & site.CountryMask) != 0
            && spec.Datasets.All(d => (hub.Datasets[d].AllowedCountriesMask & site.CountryMask) != 0);
        if (!residencyOk)
        {
            Add(() => Violations.Residency++, $"job {job}: data may not be processed in {site.Country} ({site.Name})");
        }
        if (spec.AiSystem >= 0 && !sim.Runtime.AiSystems[spec.AiSystem].MayRun)
        {
            Add(() => Violations.HighRisk++, $"job {job}: AI system {sim.Runtime.AiSystems[spec.AiSystem].Id} is high-risk and not approved");
        }
        _busyWatts[pool.Site] += BusyWatts(pool, spec.GpuShare, sim.Jobs.GpuWatts[job]);
        _lastPlacement[job] = placement;
    }

    public void OnJobStopped(Simulator sim, int job, long nowUnix, StopCause cause)
    {
        var spec = sim.Workload.Jobs[job];
        var pool = sim.Hub.Pools[sim.Jobs.Pool[job]];
        // the placement is gone from the state by now: free what we recorded at its start
        if (_lastPlacement.Remove(job, out var placement))
        {
            for (var i = 0; i < placement.Nodes.Length; i++)
            {
                if (spec.SharesGpu)
                {
                    var key = (pool.Index, placement.Nodes[i], System.Numerics.BitOperations.TrailingZeroCount(placement.GpuMasks[i]));
                    if ((_sharedMilli[key] -= spec.GpuMilli) <= 0)
                    {
                        _sharedMilli.Remove(key);
                    }
                    continue;
                }
                _used[pool.Index][placement.Nodes[i]] &= ~placement.GpuMasks[i];
            }
        }
        _busyWatts[pool.Site] -= BusyWatts(pool, spec.GpuShare, sim.Jobs.GpuWatts[job]);
    }

    public void OnJobPowerChanged(Simulator sim, int job, double oldGpuWatts, long nowUnix)
    {
        var spec = sim.Workload.Jobs[job];
        var pool = sim.Hub.Pools[sim.Jobs.Pool[job]];
        _busyWatts[pool.Site] += BusyWatts(pool, spec.GpuShare, sim.Jobs.GpuWatts[job]) - BusyWatts(pool, spec.GpuShare, oldGpuWatts);
    }

    public void OnTimestampDone(Simulator sim, long nowUnix)
    {
        if (_busyWatts.Length == 0)
        {
            return;
        }
        for (var s = 0; s < _busyWatts.Length; s++)
        {
            var site = sim.Hub.Sites[s];
            var o = sim.State.Override(s);
            var t = site.TemperatureC.At(nowUnix) + o.TemperatureOffsetC;
            var it = _idleWatts[s] + Math.Max(0, _busyWatts[s]);
            var slack = 1 + 1e-9 * it;
            if (it > (o.ItCapWatts ?? site.ItCapWatts) + slack)
            {
                Add(() => Violations.PowerCap++, $"{site.Name} at {nowUnix}: IT {it / 1e6:F3} MW over the cap {(o.ItCapWatts ?? site.ItCapWatts) / 1e6:F3} MW");
            }
            if (it > site.Cooling.CapacityAt(t) + slack)
            {
                Add(() => Violations.Cooling++, $"{site.Name} at {nowUnix}: IT {it / 1e6:F3} MW over cooling capacity at {t:F1} °C");
            }
            if (it * site.Cooling.Pue(t) > (o.GridWatts ?? site.GridWatts) + slack)
            {
                Add(() => Violations.Grid++, $"{site.Name} at {nowUnix}: facility {it * site.Cooling.Pue(t) / 1e6:F3} MW over the grid connection");
            }
        }
    }

    private readonly Dictionary<int, Serai.Core.Jobs.Placement> _lastPlacement = [];

    /// <summary>A job's part of a GPU: one GPU, shared with no whole-GPU job, at most 1,000 thousandths over its sharers.</summary>
    private void ShareGpu(HubModel hub, NodePool pool, int node, ulong mask, int job, int milli)
    {
        var gpu = System.Numerics.BitOperations.TrailingZeroCount(mask);
        if (System.Numerics.BitOperations.PopCount(mask) != 1)
        {
            Add(() => Violations.Capacity++, $"job {job}: asks for part of one GPU but holds {System.Numerics.BitOperations.PopCount(mask)} on {pool.QualifiedName(hub)} node {node}");
        }
        var key = (pool.Index, node, gpu);
        var total = _sharedMilli.GetValueOrDefault(key) + milli;
        if (total > Gpu.Milli)
        {
            Add(() => Violations.Capacity++, $"job {job}: GPU {gpu} of {pool.QualifiedName(hub)} node {node} shared over 1,000 thousandths ({total})");
        }
        _sharedMilli[key] = total;
    }

    private bool SharedOn(int pool, int node, ulong mask)
    {
        for (var gpu = 0; mask != 0; gpu++, mask >>= 1)
        {
            if ((mask & 1) != 0 && _sharedMilli.ContainsKey((pool, node, gpu)))
            {
                return true;
            }
        }
        return false;
    }

    private static double BusyWatts(NodePool pool, double gpus, double gpuWatts) =>
        Math.Max(0, gpuWatts - gpus * pool.Accelerator.IdleWatts);

    private static ulong AllGpus(NodePool pool) => pool.GpusPerNode == 64 ? ulong.MaxValue : (1UL << pool.GpusPerNode) - 1;

    private void Add(Action count, string message)
    {
        count();
        if (_messages.Count < KeptMessages)
        {
            _messages.Add(message);
        }
    }
}

/// <summary>Counts of broken rules; every one must be 0.</summary>
public sealed class SafetyViolations
{
    public long Capacity { get; set; }
    public long PowerCap { get; set; }
    public long Cooling { get; set; }
    public long Grid { get; set; }
    public long Residency { get; set; }
    public long HighRisk { get; set; }
    public long Stack { get; set; }

    public long Total => Capacity + PowerCap + Cooling + Grid + Residency + HighRisk + Stack;
}
