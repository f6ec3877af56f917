using Serai.Core.Jobs;
using Serai.Core.State;
using Serai.Scheduling;

namespace Serai.Server.Tests;

/// <summary>A stand-in scheduler for loop tests that must not depend on policy: first fit on one node, in order.</summary>
public sealed class FirstFitCycle : ISchedulingPolicy
{
    public string Name => "first-fit (test)";

    public CycleResult Schedule(HubState state, IReadOnlyList<PendingJob> queue, long nowUnix)
    {
        var decisions = new List<Decision>();
        var taken = new Dictionary<(int Pool, int Node), ulong>();
        foreach (var job in queue)
        {
            var placed = false;
            for (var p = 0; p < state.Pools.Length && !placed; p++)
            {
                var pool = state.Pools[p];
                for (var n = 0; n < pool.Pool.Nodes && !placed; n++)
                {
                    var used = pool.UsedMask(n) | taken.GetValueOrDefault((p, n));
                    var free = ~used & pool.AllGpusMask;
                    if (System.Numerics.BitOperations.PopCount(free) < job.Spec.Gpus)
                    {
                        continue;
                    }
                    ulong mask = 0;
                    for (var i = 0; i < job.Spec.Gpus; i++)
                    {
                        var bit = free & (~free + 1);
                        mask |= bit;
                        free &= ~bit;
                    }
                    taken[(p, n)] = taken.GetValueOrDefault((p, n)) | mask;
                    decisions.Add(Decision.Place(job.Id, new Placement(p, [n], [mask]), job.Spec.PowerFraction, new Reason(ReasonCode.Placed, "test", p, 100)));
                    placed = true;
                }
            }
            if (!placed)
            {
                decisions.Add(Decision.Wait(job.Id, new Reason(ReasonCode.NoCapacity, "test", 0, 0, job.Spec.Gpus)));
            }
        }
        return new CycleResult(decisions, queue.Count, decisions.Count(d => d.Kind == DecisionKind.Place), 0, 0, 0, 0);
    }
}
