using Serai.Core.Jobs;
using Serai.Core.Model;
using Serai.Core.State;

namespace Serai.Scheduling.Plugins;

/// <summary>A pool's state as plugins see it: every question <see cref="PoolState"/> answers, none of its setters.</summary>
public readonly struct PoolView
{
    private readonly PoolState _state;

    internal PoolView(PoolState state) => _state = state;

    public NodePool Pool => _state.Pool;
    public int FreeGpus => _state.FreeGpus;
    public int FreeWholeNodes => _state.FreeWholeNodes;

    /// <summary>Most free GPUs on any single node.</summary>
    public int LargestFreeOnNode => _state.LargestFreeOnNode;

    /// <summary>Most free thousandths on any GPU shared by jobs that ask for part of one; 0 when none.</summary>
    public int LargestSharedFreeMilli => _state.LargestSharedFreeMilli;

    /// <summary>Closed pools take no new work (a vendor cut-off); running work goes on.</summary>
    public bool ClosedToNewWork => _state.ClosedToNewWork;

    public int FreeOnNode(int node) => _state.FreeOnNode(node);

    /// <summary>The pool's state object and its change count: equal both, and the pool is as it was (<see cref="PoolState.Version"/>).</summary>
    internal (object State, long Version) Stamp => (_state, _state.Version);

    /// <summary>The node takes no work: down, or drained by an operator (its jobs run on, but nothing new goes there).</summary>
    public bool IsDown(int node) => _state.IsDown(node) || _state.IsClosed(node);
    public IReadOnlyList<JobId> JobsOn(int node) => _state.JobsOn(node);

    /// <summary>Nodes with every GPU free, in index order (a copy).</summary>
    public int[] WholeFreeNodes() => _state.WholeFreeNodes();
}
