using Serai.Core.Jobs;
using Serai.Core.State;
using Serai.Scheduling;

namespace Serai.Simulation.Tests.Support;

/// <summary>A test double: first come, first placed on the first pool with room, single-node jobs only; records each cycle.</summary>
internal sealed class GreedyPolicy : ISchedulingPolicy
{
    public List<(long Now, int Queue, int Running)> Cycles { get; } = [];

    /// <summary>Extra decisions returned at a given time, before the placements.</summary>
    public Dictionary<long, List<Decision>> Scripted { get; } = [];

    public bool PlaceNothing { get; set; }

    public string Name => "greedy-test";

    public CycleResult Schedule(HubState state, IReadOnlyList<PendingJob> queue, long nowUnix)
    {
        Cycles.Add((nowUnix, queue.Count, state.Running.Count));
        var decisions = Scripted.TryGetValue(nowUnix, out var scripted) ? new List<Decision>(scripted) : [];
        if (PlaceNothing)
        {
            return new CycleResult(decisions, queue.Count, 0, 0, 0, 0, 0);
        }
        state.BeginTentative();
        try
        {
            foreach (var job in queue.Where(j => j.NotBeforeUnix <= nowUnix).OrderBy(j => j.Spec.SubmitUnix).ThenBy(j => j.Id.Value))
            {
                foreach (var pool in state.Pools)
                {
                    if (pool.ClosedToNewWork || (job.Spec.StackMask & (1u << pool.Pool.Accelerator.StackBit)) == 0)
                    {
                        continue;
                    }
                    var node = pool.FindNode(job.Spec.Gpus);
                    if (node < 0)
                    {
                        continue;
                    }
                    var placement = new Placement(pool.Pool.Index, [node], [pool.PickGpus(node, job.Spec.Gpus)]);
                    state.Start(new RunningJob(job.Spec, placement, nowUnix, job.Spec.PowerFraction));
                    decisions.Add(Decision.Place(job.Id, placement, job.Spec.PowerFraction, new Reason(ReasonCode.Placed, "test")));
                    break;
                }
            }
        }
        finally
        {
            state.Rollback();
        }
        return new CycleResult(decisions, queue.Count, decisions.Count, 0, 0, 0, 0);
    }
}
