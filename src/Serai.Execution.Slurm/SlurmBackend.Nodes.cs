using Serai.Execution.Slurm.Parsing;

namespace Serai.Execution.Slurm;

/// <summary>Free GPUs of one pool as Slurm reports them: nodes up, GPUs in total and free (GRES minus GRES used on nodes not down or drained).</summary>
public sealed record SlurmPoolCapacity(string Pool, int Nodes, int NodesAvailable, int Gpus, int FreeGpus);

/// <summary>Nodes: one sinfo per poll; changes of node state become <see cref="NodeStateChanged"/>, free GPUs a capacity snapshot.</summary>
public sealed partial class SlurmBackend
{
    private readonly Dictionary<string, NodeState> _nodeStates = new(StringComparer.Ordinal);
    private IReadOnlyDictionary<string, SlurmPoolCapacity> _capacity = new Dictionary<string, SlurmPoolCapacity>();

    /// <summary>The last capacity seen per pool (empty before the first sinfo answer).</summary>
    public IReadOnlyDictionary<string, SlurmPoolCapacity> Capacity => Volatile.Read(ref _capacity);

    /// <summary>Raised after each sinfo answer with the new capacity per pool.</summary>
    public event Action<IReadOnlyDictionary<string, SlurmPoolCapacity>>? CapacityObserved;

    private async Task PollNodesAsync(CancellationToken cancellationToken)
    {
        var answer = await _runner.RunAsync("sinfo", SinfoFormat.QueryArguments(_options), null, _options.CommandTimeout, cancellationToken).ConfigureAwait(false);
        if (!answer.Ok)
        {
            return; // node states stay as last seen; squeue failures report the site
        }
        var nodes = SinfoFormat.Parse(answer.Stdout).DistinctBy(n => n.Name, StringComparer.Ordinal).ToList();
        var capacity = new Dictionary<string, SlurmPoolCapacity>(StringComparer.Ordinal);
        foreach (var (poolName, pool) in _options.Pools)
        {
            var mine = nodes.Where(n => PoolOf(n) is { } p && p.Pool == poolName).ToList();
            capacity[poolName] = new SlurmPoolCapacity(poolName, mine.Count, mine.Count(n => !n.Unavailable),
                mine.Sum(n => n.Gpus), mine.Sum(n => n.FreeGpus));
        }
        Volatile.Write(ref _capacity, capacity);
        foreach (var node in nodes)
        {
            if (PoolOf(node) is not { } where)
            {
                continue;
            }
            var state = node.Down ? NodeState.Down : node.Drained ? NodeState.Drained : NodeState.Up;
            var known = _nodeStates.TryGetValue(node.Name, out var before);
            _nodeStates[node.Name] = state;
            if (known ? before != state : state != NodeState.Up)
            {
                var why = node.Reason is { Length: > 0 } r && r != "none" ? $": {r}" : "";
                Raise(new NodeStateChanged(_options.Site, where.Pool, where.Index, node.Name, state, $"Slurm reports node {node.Name} {node.State}{why}"));
            }
        }
        foreach (var (poolName, pool) in _options.Pools)
        {
            var mine = nodes.Where(n => PoolOf(n) is { } p && p.Pool == poolName).ToList();
            var byNode = pool.NodeNames.Count > 0 ? new int[pool.NodeNames.Count] : null;
            foreach (var node in mine)
            {
                if (byNode is not null && PoolOf(node) is { Index: { } i })
                {
                    byNode[i] = NotFree(node);
                }
            }
            // a named node missing from the answer is not free either
            if (byNode is not null)
            {
                for (var i = 0; i < byNode.Length; i++)
                {
                    if (!mine.Any(n => n.Name == pool.NodeNames[i]))
                    {
                        byNode[i] = int.MaxValue; // all of its GPUs
                    }
                }
            }
            Raise(new PoolGpusObserved(_options.Site, poolName, byNode, mine.Sum(NotFree)));
        }
        CapacityObserved?.Invoke(capacity);
    }

    private static int NotFree(SlurmNodeRecord node) => node.Unavailable ? node.Gpus : Math.Min(node.Gpus, node.GpusUsed);

    /// <summary>The pool and pool index of a Slurm node: by the pool's node names, else by partition (index unknown).</summary>
    private (string Pool, int? Index)? PoolOf(SlurmNodeRecord node)
    {
        foreach (var (name, pool) in _options.Pools)
        {
            var index = pool.NodeNames.ToList().IndexOf(node.Name);
            if (index >= 0)
            {
                return (name, index);
            }
        }
        foreach (var (name, pool) in _options.Pools)
        {
            if (pool.NodeNames.Count == 0 && node.Partition.Split(',').Contains(pool.Partition, StringComparer.Ordinal))
            {
                return (name, null);
            }
        }
        return null;
    }
}
