using System.Numerics;
using Serai.Core.Jobs;
using Serai.Core.Model;

namespace Serai.Core.State;

/// <summary>
/// Free GPUs of one pool, node by node, with an index of nodes by their free-GPU count so that best-fit and
/// whole-node searches cost O(GPUs per node) instead of O(nodes). A GPU is free when no Serai job holds it, its node
/// is up, and the site's own manager does not report it held outside Serai (work submitted to Slurm directly, a
/// node drained by the site's admins). A GPU shared by jobs that ask for part of one (<see cref="JobSpec.SharesGpu"/>)
/// counts as held for whole-GPU work until its last sharer leaves; its thousandths in use are kept apart.
/// </summary>
public sealed class PoolState
{
    private readonly int[] _free;
    private readonly ulong[] _used;
    private readonly ulong[] _outside;
    private readonly bool[] _down;
    private readonly bool[] _closed;
    private readonly NodePower[] _power;
    private readonly NodeSet[] _buckets;
    private readonly List<JobId>?[] _jobsOnNode;
    private readonly int[] _wholeFreeInBlock;
    private readonly Dictionary<(int Node, int Gpu), int> _sharedMilli = [];
    private readonly SortedSet<(int FreeMilli, int Node, int Gpu)> _sharedByFree = [];

    public PoolState(NodePool pool)
    {
        Pool = pool;
        var g = pool.GpusPerNode;
        _free = new int[pool.Nodes];
        _used = new ulong[pool.Nodes];
        _outside = new ulong[pool.Nodes];
        _down = new bool[pool.Nodes];
        _closed = new bool[pool.Nodes];
        _power = new NodePower[pool.Nodes];
        _jobsOnNode = new List<JobId>?[pool.Nodes];
        _buckets = [.. Enumerable.Range(0, g + 1).Select(_ => new NodeSet(pool.Nodes))];
        _wholeFreeInBlock = new int[BlockCount];
        for (var n = 0; n < pool.Nodes; n++)
        {
            _free[n] = g;
            AddToBucket(n, g);
        }
        FreeGpus = pool.Gpus;
    }

    public NodePool Pool { get; }
    public int FreeGpus { get; private set; }
    public int FreeWholeNodes => _buckets[Pool.GpusPerNode].Count;

    /// <summary>
    /// Counts every change to the pool (a job taking or giving GPUs, GPUs held outside, a node down, closed or powered
    /// down). It only grows, rollbacks included (they give and take again), so an equal version means the same pool.
    /// </summary>
    public long Version { get; private set; }

    /// <summary>Closed pools take no new work (a vendor cut-off); running work goes on.</summary>
    public bool ClosedToNewWork
    {
        get;
        set
        {
            Version += field == value ? 0 : 1;
            field = value;
        }
    }

    public int BlockCount => (Pool.Nodes + Math.Max(1, Pool.NodesPerBlock) - 1) / Math.Max(1, Pool.NodesPerBlock);
    public int FreeOnNode(int node) => _free[node];
    public ulong UsedMask(int node) => _used[node];

    /// <summary>GPUs of a node held outside Serai, as the site last reported them.</summary>
    public int HeldOutside(int node) => BitOperations.PopCount(_outside[node]);

    /// <summary>GPUs of the pool held outside Serai.</summary>
    public int HeldOutsideTotal { get; private set; }
    public bool IsDown(int node) => _down[node];

    /// <summary>A node closed to new work by an operator (drained): its GPUs are not free; jobs on it run on.</summary>
    public bool IsClosed(int node) => _closed[node];

    /// <summary>Whether a node is on, suspended to save power, or resuming (drawing idle power, not yet taking work).</summary>
    public NodePower Power(int node) => _power[node];
    public IReadOnlyList<JobId> JobsOn(int node) => (IReadOnlyList<JobId>?)_jobsOnNode[node] ?? [];

    /// <summary>GPUs that jobs asking for part of one share now.</summary>
    public int SharedGpus => _sharedMilli.Count;

    /// <summary>Thousandths of a shared GPU in use; 0 when the GPU is not shared.</summary>
    public int SharedMilli(int node, int gpu) => _sharedMilli.GetValueOrDefault((node, gpu));

    /// <summary>Most free thousandths on any shared GPU of a node open to new work; 0 when none.</summary>
    public int LargestSharedFreeMilli
    {
        get
        {
            foreach (var (free, node, _) in _sharedByFree.Reverse())
            {
                if (!_closed[node])
                {
                    return free;
                }
            }
            return 0;
        }
    }

    /// <summary>
    /// Best fit for part of a GPU: the shared GPU with the fewest free thousandths that still has <paramref name="milli"/>,
    /// on a node open to new work; node -1 when none.
    /// </summary>
    public (int Node, ulong Mask) FindSharedGpu(int milli, Predicate<int>? excluded = null)
    {
        foreach (var (_, node, gpu) in _sharedByFree.GetViewBetween((milli, int.MinValue, int.MinValue), (Gpu.Milli, int.MaxValue, int.MaxValue)))
        {
            if (!_closed[node] && (excluded is null || !excluded(node)))
            {
                return (node, 1UL << gpu);
            }
        }
        return (-1, 0);
    }

    /// <summary>Most free GPUs on any single node.</summary>
    public int LargestFreeOnNode
    {
        get
        {
            for (var k = Pool.GpusPerNode; k > 0; k--)
            {
                if (_buckets[k].Count > 0)
                {
                    return k;
                }
            }
            return 0;
        }
    }

    /// <summary>Best fit: a node with the fewest free GPUs that still has <paramref name="gpus"/>; -1 if none.</summary>
    public int FindNode(int gpus, Predicate<int>? excluded = null)
    {
        for (var k = Math.Max(1, gpus); k <= Pool.GpusPerNode; k++)
        {
            var bucket = _buckets[k];
            if (bucket.Count == 0)
            {
                continue;
            }
            // the highest node of the fewest free GPUs: an answer that depends on the state alone, not on its history
            for (var node = bucket.HighestBelow(Pool.Nodes); node >= 0; node = bucket.HighestBelow(node))
            {
                if (excluded is null || !excluded(node))
                {
                    return node;
                }
            }
        }
        return -1;
    }

    /// <summary>Nodes with every GPU free, in index order.</summary>
    public int[] WholeFreeNodes() => _buckets[Pool.GpusPerNode].ToArray();

    /// <summary>
    /// <paramref name="count"/> wholly free nodes, taken from a single block where one has enough (the fullest such
    /// block, to keep large blocks for large gangs), otherwise from the blocks with most free nodes first. Null if
    /// the pool has fewer free nodes.
    /// </summary>
    public int[]? FindWholeNodes(int count, Predicate<int>? excluded = null)
    {
        if (FreeWholeNodes < count)
        {
            return null;
        }
        if (excluded is not null)
        {
            var allowed = WholeFreeNodes().Where(n => !excluded(n)).Take(count).ToArray();
            return allowed.Length == count ? allowed : null;
        }
        var perBlock = Math.Max(1, Pool.NodesPerBlock);
        var best = -1;
        for (var b = 0; b < _wholeFreeInBlock.Length; b++)
        {
            if (_wholeFreeInBlock[b] >= count && (best < 0 || _wholeFreeInBlock[b] < _wholeFreeInBlock[best]))
            {
                best = b;
            }
        }
        var result = new int[count];
        var taken = 0;
        if (best >= 0)
        {
            var end = Math.Min(Pool.Nodes, (best + 1) * perBlock);
            for (var n = best * perBlock; n < end && taken < count; n++)
            {
                if (!_down[n] && _free[n] == Pool.GpusPerNode)
                {
                    result[taken++] = n;
                }
            }
            return result;
        }
        var blocks = Enumerable.Range(0, _wholeFreeInBlock.Length).OrderByDescending(b => _wholeFreeInBlock[b]).ThenBy(b => b);
        foreach (var b in blocks)
        {
            var end = Math.Min(Pool.Nodes, (b + 1) * perBlock);
            for (var n = b * perBlock; n < end && taken < count; n++)
            {
                if (!_down[n] && _free[n] == Pool.GpusPerNode)
                {
                    result[taken++] = n;
                }
            }
            if (taken == count)
            {
                break;
            }
        }
        return result;
    }

    /// <summary>The lowest free GPU indexes on a node, as a mask.</summary>
    public ulong PickGpus(int node, int gpus)
    {
        var free = ~(_used[node] | _outside[node]) & AllGpusMask;
        ulong mask = 0;
        for (var i = 0; i < gpus; i++)
        {
            var bit = free & (~free + 1);
            mask |= bit;
            free &= ~bit;
        }
        return mask;
    }

    public ulong AllGpusMask => Pool.GpusPerNode == 64 ? ulong.MaxValue : (1UL << Pool.GpusPerNode) - 1;

    /// <summary>Takes the GPUs of <paramref name="mask"/> for a job; <paramref name="milli"/> 1–999 takes that part of one GPU.</summary>
    internal void Take(JobId job, int node, ulong mask, int milli = 0)
    {
        Version++;
        if (milli is > 0 and < Gpu.Milli)
        {
            TakeShare(job, node, mask, milli);
            return;
        }
        if (((_used[node] | _outside[node]) & mask) != 0 || _down[node])
        {
            throw new InvalidOperationException($"GPU already in use or node down: pool {Pool.Name} node {node}");
        }
        RemoveFromBucket(node, _free[node]);
        _used[node] |= mask;
        Rebucket(node);
        (_jobsOnNode[node] ??= []).Add(job);
    }

    internal void Give(JobId job, int node, ulong mask, int milli = 0)
    {
        Version++;
        if (milli is > 0 and < Gpu.Milli)
        {
            GiveShare(job, node, mask, milli);
            return;
        }
        if ((_used[node] & mask) != mask)
        {
            throw new InvalidOperationException($"GPU not in use: pool {Pool.Name} node {node}");
        }
        RemoveFromBucket(node, _free[node]);
        _used[node] &= ~mask;
        Rebucket(node);
        _jobsOnNode[node]?.Remove(job);
    }

    private void TakeShare(JobId job, int node, ulong mask, int milli)
    {
        var gpu = BitOperations.TrailingZeroCount(mask);
        if (BitOperations.PopCount(mask) != 1 || _down[node])
        {
            throw new InvalidOperationException($"a job sharing a GPU takes exactly one GPU of an up node: pool {Pool.Name} node {node}");
        }
        if (_sharedMilli.TryGetValue((node, gpu), out var used))
        {
            if (used + milli > Gpu.Milli)
            {
                throw new InvalidOperationException($"GPU {gpu} of pool {Pool.Name} node {node} has {Gpu.Milli - used} thousandths free, job {job} asks {milli}");
            }
            _sharedByFree.Remove((Gpu.Milli - used, node, gpu));
        }
        else
        {
            if (((_used[node] | _outside[node]) & mask) != 0)
            {
                throw new InvalidOperationException($"GPU already in use: pool {Pool.Name} node {node}");
            }
            RemoveFromBucket(node, _free[node]);
            _used[node] |= mask;
            Rebucket(node);
        }
        _sharedMilli[(node, gpu)] = used + milli;
        _sharedByFree.Add((Gpu.Milli - used - milli, node, gpu));
        (_jobsOnNode[node] ??= []).Add(job);
    }

    private void GiveShare(JobId job, int node, ulong mask, int milli)
    {
        var gpu = BitOperations.TrailingZeroCount(mask);
        if (!_sharedMilli.TryGetValue((node, gpu), out var used) || used < milli)
        {
            throw new InvalidOperationException($"GPU not shared by job {job}: pool {Pool.Name} node {node}");
        }
        _sharedByFree.Remove((Gpu.Milli - used, node, gpu));
        if (used == milli)
        {
            _sharedMilli.Remove((node, gpu));
            RemoveFromBucket(node, _free[node]);
            _used[node] &= ~mask;
            Rebucket(node);
        }
        else
        {
            _sharedMilli[(node, gpu)] = used - milli;
            _sharedByFree.Add((Gpu.Milli - used + milli, node, gpu));
        }
        _jobsOnNode[node]?.Remove(job);
    }

    /// <summary>
    /// Marks <paramref name="gpus"/> GPUs of a node held outside Serai (clamped to those no Serai job holds): the
    /// highest free indexes, so that Serai keeps picking from the lowest. Returns how many are held outside now.
    /// </summary>
    internal int SetHeldOutside(int node, int gpus)
    {
        Version++;
        var want = Math.Clamp(gpus, 0, Pool.GpusPerNode - BitOperations.PopCount(_used[node]));
        if (want == BitOperations.PopCount(_outside[node]))
        {
            return want;
        }
        var mask = 0UL;
        var candidates = ~_used[node] & AllGpusMask;
        for (var i = 0; i < want; i++)
        {
            var bit = 1UL << (63 - BitOperations.LeadingZeroCount(candidates));
            mask |= bit;
            candidates &= ~bit;
        }
        RemoveFromBucket(node, _free[node]);
        HeldOutsideTotal += want - BitOperations.PopCount(_outside[node]);
        _outside[node] = mask;
        Rebucket(node);
        return want;
    }

    internal void SetDown(int node, bool down)
    {
        Version++;
        if (_down[node] == down)
        {
            return;
        }
        RemoveFromBucket(node, _free[node]);
        _down[node] = down;
        Rebucket(node);
    }

    internal void SetClosed(int node, bool closed)
    {
        Version++;
        if (_closed[node] == closed)
        {
            return;
        }
        RemoveFromBucket(node, _free[node]);
        _closed[node] = closed;
        Rebucket(node);
    }

    internal void SetPower(int node, NodePower power)
    {
        Version++;
        if (_power[node] == power)
        {
            return;
        }
        RemoveFromBucket(node, _free[node]);
        _power[node] = power;
        Rebucket(node);
    }

    private void Rebucket(int node)
    {
        var before = _free[node];
        var after = _down[node] || _closed[node] || _power[node] != NodePower.On ? 0 : Pool.GpusPerNode - BitOperations.PopCount(_used[node] | _outside[node]);
        _free[node] = after;
        AddToBucket(node, after);
        FreeGpus += after - before;
    }

    private void AddToBucket(int node, int free)
    {
        _buckets[free].Add(node);
        if (free == Pool.GpusPerNode)
        {
            _wholeFreeInBlock[node / Math.Max(1, Pool.NodesPerBlock)]++;
        }
    }

    private void RemoveFromBucket(int node, int free)
    {
        _buckets[free].Remove(node);
        if (free == Pool.GpusPerNode)
        {
            _wholeFreeInBlock[node / Math.Max(1, Pool.NodesPerBlock)]--;
        }
    }
}

/// <summary>A node's power state, as Slurm's power saving has it: on, suspended (low draw, no work), resuming (idle draw, no work yet).</summary>
public enum NodePower : byte
{
    On,
    Suspended,
    Resuming,
}
