using Serai.Core.Jobs;
using Serai.Scheduling.Filters;
using Serai.Scheduling.Plugins;

namespace Serai.Scheduling.Preemption;

/// <summary>
/// Preemption by service rather than by class, for the SRTF and LAS baselines: a waiting job of one node may stop
/// running jobs of its class or lower that the rule ranks after it. Only checkpointable jobs are victims (the
/// others would lose all their work), never so that a victim's tenant falls below its guarantee, and multi-node
/// gangs neither preempt nor are taken apart here. Victims are taken on one node, the fewest first.
/// </summary>
public abstract class ServicePreemption : IPreemption
{
    public abstract string Name { get; }

    /// <summary>Whether the rule ranks the running <paramref name="victim"/> after the waiting <paramref name="job"/>.</summary>
    protected abstract bool RanksAfter(ISchedulingView view, JobSpec job, RunningJob victim);

    /// <summary>The reason each victim of this rule is given.</summary>
    protected abstract ReasonCode VictimReason { get; }

    /// <summary>Larger = stopped first (longest remaining, most service received).</summary>
    protected abstract double VictimKey(ISchedulingView view, RunningJob victim);

    public bool MayFindVictims(ISchedulingView view, JobSpec job, int pool) =>
        !GangShape.For(job, view.Hub.Pools[pool]).MultiNode && view.Pool(pool).Pool.GpusPerNode >= job.Gpus;

    public PreemptionPlan? Plan(ISchedulingView view, JobSpec job, IReadOnlyList<int> pools, CycleState state)
    {
        var memo = state.UntilRelease<Memo>(this);
        PreemptionPlan? best = null;
        foreach (var pool in pools)
        {
            var candidates = memo.Candidates(view, pool, this);
            if (candidates.Count == 0)
            {
                continue;
            }
            var plan = PlanOnPool(view, job, pool, candidates);
            if (plan is not null && (best is null || plan.Victims.Count < best.Victims.Count))
            {
                best = plan;
            }
        }
        return best;
    }

    private PreemptionPlan? PlanOnPool(ISchedulingView view, JobSpec job, int pool, Dictionary<int, List<RunningJob>> byNode)
    {
        var state = view.Pool(pool);
        var accelerator = state.Pool.Accelerator.Index;
        List<RunningJob>? best = null;
        foreach (var (node, jobs) in byNode)
        {
            if (state.IsDown(node))
            {
                continue;
            }
            var free = state.FreeOnNode(node);
            var taken = new List<RunningJob>();
            var takenByTenant = new Dictionary<int, int>();
            foreach (var victim in jobs)
            {
                if (free >= job.Gpus || (best is not null && taken.Count >= best.Count))
                {
                    break;
                }
                if (!Eligible(view, job, victim, accelerator, takenByTenant))
                {
                    continue;
                }
                taken.Add(victim);
                takenByTenant[victim.Spec.Tenant] = takenByTenant.GetValueOrDefault(victim.Spec.Tenant) + victim.Placement.Gpus;
                free += victim.Placement.Gpus;
            }
            if (free >= job.Gpus && taken.Count > 0 && (best is null || taken.Count < best.Count))
            {
                best = taken;
            }
        }
        return best is null ? null : new PreemptionPlan(pool, best, false) { VictimReason = VictimReason };
    }

    private bool Eligible(ISchedulingView view, JobSpec job, RunningJob victim, int accelerator, Dictionary<int, int> takenByTenant)
    {
        if (victim.Spec.Priority > job.Priority || !RanksAfter(view, job, victim))
        {
            return false;
        }
        if (victim.Spec.Tenant == job.Tenant)
        {
            return true;
        }
        var after = view.Allocated(victim.Spec.Tenant, accelerator) - takenByTenant.GetValueOrDefault(victim.Spec.Tenant) - victim.Placement.Gpus;
        return after >= view.Hub.Tenants[victim.Spec.Tenant].GuaranteedGpus[accelerator];
    }

    /// <summary>
    /// Per pool, the checkpointable single-node running jobs by node, those to stop first first; built once per
    /// cycle and again after each release, so a blocked queue does not scan every running job per job.
    /// </summary>
    private sealed class Memo
    {
        private Dictionary<int, Dictionary<int, List<RunningJob>>>? _byPool;

        public Dictionary<int, List<RunningJob>> Candidates(ISchedulingView view, int pool, ServicePreemption rule)
        {
            if (_byPool is null)
            {
                _byPool = [];
                foreach (var running in view.Running.Values)
                {
                    if (!running.Spec.Checkpointable || running.Placement.Nodes.Length != 1)
                    {
                        continue;
                    }
                    var nodes = _byPool.TryGetValue(running.Placement.Pool, out var n) ? n : _byPool[running.Placement.Pool] = [];
                    var node = running.Placement.Nodes[0];
                    (nodes.TryGetValue(node, out var list) ? list : nodes[node] = []).Add(running);
                }
                foreach (var nodes in _byPool.Values)
                {
                    foreach (var list in nodes.Values)
                    {
                        list.Sort((a, b) =>
                        {
                            var c = rule.VictimKey(view, b).CompareTo(rule.VictimKey(view, a));
                            return c != 0 ? c : a.Id.CompareTo(b.Id);
                        });
                    }
                }
            }
            return _byPool.TryGetValue(pool, out var found) ? found : [];
        }
    }
}

/// <summary>
/// Shortest remaining time first (<c>shortest-remaining</c>): a waiting job preempts running jobs whose expected
/// remaining time (start + estimate − now) is longer than its own estimate; the longest remaining go first.
/// </summary>
public sealed class ShortestRemainingPreemption : ServicePreemption
{
    public override string Name => "shortest-remaining";

    protected override ReasonCode VictimReason => ReasonCode.PreemptedForShorterRemaining;

    protected override bool RanksAfter(ISchedulingView view, JobSpec job, RunningJob victim) =>
        job.EstimatedSeconds is { } mine && VictimKey(view, victim) > mine;

    protected override double VictimKey(ISchedulingView view, RunningJob victim) =>
        victim.ExpectedEndUnix is { } end ? end - view.NowUnix : double.MaxValue;
}

/// <summary>
/// Least attained service, discretised as Tiresias does (<c>least-attained</c>): a job's level is 0 under
/// <see cref="FirstThresholdGpuSeconds"/> of GPU-time received, 1 under <see cref="SecondThresholdGpuSeconds"/>, 2
/// above. A waiting job (its level from its earlier runs, as <see cref="Queue.LeastAttainedOrder"/> saw it) preempts
/// running jobs of a higher level (counted over their current run); the most served go first.
/// </summary>
public sealed class LeastAttainedPreemption : ServicePreemption
{
    public const double FirstThresholdGpuSeconds = 3600;
    public const double SecondThresholdGpuSeconds = 10 * 3600;

    public override string Name => "least-attained";

    protected override ReasonCode VictimReason => ReasonCode.PreemptedForLessAttained;

    public static int Level(double attainedGpuSeconds) =>
        attainedGpuSeconds < FirstThresholdGpuSeconds ? 0 : attainedGpuSeconds < SecondThresholdGpuSeconds ? 1 : 2;

    protected override bool RanksAfter(ISchedulingView view, JobSpec job, RunningJob victim) =>
        Level(VictimKey(view, victim)) > Queue.LeastAttainedOrder.LevelOf(job.Id);

    protected override double VictimKey(ISchedulingView view, RunningJob victim) =>
        (double)victim.Placement.Gpus * Math.Max(0, view.NowUnix - victim.StartUnix);
}
