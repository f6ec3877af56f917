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
        var nodes = SinfoFormat.Parse(answer.Stdout).DistinctBy(n => n.Name, StringComparer.Ordinal)
            .Select(n => (Node: n, Where: PoolOf(n))).Where(n => n.Where is not null).ToList();
        var byPool = nodes.ToLookup(n => n.Where!.Value.Pool, n => (n.Node, n.Where!.Value.Index), StringComparer.Ordinal);
        var capacity = new Dictionary<string, SlurmPoolCapacity>(StringComparer.Ordinal);
        foreach (var (poolName, _) in _options.Pools)
        {
            var mine = byPool[poolName].Select(n => n.Node).ToList();
            capacity[poolName] = new SlurmPoolCapacity(poolName, mine.Count, mine.Count(n => !n.Unavailable),
                mine.Sum(n => n.Gpus), mine.Sum(n => n.FreeGpus));
        }
        Volatile.Write(ref _capacity, capacity);
        foreach (var (node, where) in nodes)
        {
            var state = node.Down ? NodeState.Down : node.Drained ? NodeState.Drained : NodeState.Up;
            var known = _nodeStates.TryGetValue(node.Name, out var before);
            _nodeStates[node.Name] = state;
            if (known ? before != state : state != NodeState.Up)
            {
                var why = node.Reason is { Length: > 0 } r && r != "none" ? $": {r}" : "";
                Raise(new NodeStateChanged(_options.Site, where!.Value.Pool, where.Value.Index, node.Name, state, $"Slurm reports node {node.Name} {node.State}{why}"));
            }
        }
        foreach (var (poolName, pool) in _options.Pools)
        {
            int[]? byNode = null;
            if (pool.NodeNames.Count > 0)
            {
                // a named node missing from the answer is not free either: all of its GPUs
                byNode = Enumerable.Repeat(int.MaxValue, pool.NodeNames.Count).ToArray();
                foreach (var (node, index) in byPool[poolName])
                {
                    if (index is { } i)
                    {
                        byNode[i] = NotFree(node);
                    }
                }
            }
            Raise(new PoolGpusObserved(_options.Site, poolName, byNode, byPool[poolName].Sum(n => NotFree(n.Node))));
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
