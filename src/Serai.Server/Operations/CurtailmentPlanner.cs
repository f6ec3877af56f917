using Serai.Core.State;
using Serai.Runtime;
using Serai.Scheduling;

namespace Serai.Server.Operations;

/// <summary>One step of a curtailment plan: a node suspended, a job throttled, moved (checkpointable or deferrable, requeued elsewhere) or preempted.</summary>
public sealed record CurtailStep(string Kind, string What, double SavedItWatts, long? Job = null, double? PowerFraction = null, double GpuHoursLost = 0);

/// <summary>
/// What a curtailment of a site to a facility power would do, in the order the hub does it: suspend idle nodes, throttle
/// running jobs to the profile's floor (lowest class and youngest first), then stop jobs, lowest class first and
/// checkpointable or deferrable ones before others (they are moved: requeued and placed elsewhere if there is room).
/// </summary>
public sealed record CurtailPlan(
    string Site,
    double TargetFacilityWatts,
    long FromUnix,
    long UntilUnix,
    double Pue,
    double ItLimitWatts,
    double FacilityWattsBefore,
    double FacilityWattsReached,
    bool Reached,
    int NodesSuspended,
    int JobsThrottled,
    int JobsMoved,
    int JobsPreempted,
    double GpuHoursLost,
    IReadOnlyList<CurtailStep> Steps);

/// <summary>Computes a <see cref="CurtailPlan"/> from the runtime's state now (on the control loop's thread); changes nothing.</summary>
public static class CurtailmentPlanner
{
    private const double Slack = 1e-6;

    public static CurtailPlan Plan(HubRuntime runtime, int site, double targetFacilityWatts, long fromUnix, long untilUnix, OperationsOptions options)
    {
        var hub = runtime.Hub;
        var state = runtime.State;
        var now = runtime.NowUnix;
        var c = state.Conditions(site, Math.Max(now, fromUnix));
        var limit = Math.Min(c.ItCapWatts, Math.Min(c.CoolingCapacityWatts, targetFacilityWatts / c.Pue));
        var it = c.ItWatts;
        var before = it * c.Pue;
        var steps = new List<CurtailStep>();
        var floor = (runtime.Policy as Scheduler)?.Profile.ThrottleFloor ?? 0.6;

        if (options.SuspendIdleNodes)
        {
            foreach (var p in hub.Sites[site].PoolIndexes)
            {
                var pool = state.Pools[p];
                var saved = (pool.Pool.GpusPerNode * pool.Pool.Accelerator.IdleWatts + pool.Pool.NodeOverheadWatts) * (1 - Math.Clamp(options.SuspendedDrawFraction, 0, 1));
                for (var n = pool.Pool.Nodes - 1; n >= 0 && it > limit + Slack; n--)
                {
                    if (pool.Power(n) == NodePower.On && !pool.IsDown(n) && pool.JobsOn(n).Count == 0)
                    {
                        it -= saved;
                        steps.Add(new CurtailStep("suspend", $"node {pool.Pool.QualifiedName(hub)}/{n}", saved));
                    }
                }
            }
        }

        var jobs = state.Running.Values.Where(j => hub.Pools[j.Placement.Pool].Site == site).ToList();
        var fraction = jobs.ToDictionary(j => j.Id, j => j.PowerFraction);
        foreach (var job in jobs.OrderBy(j => j.Spec.Priority).ThenByDescending(j => j.StartUnix).ThenBy(j => j.Id))
        {
            var excess = it - limit;
            if (excess <= Slack)
            {
                break;
            }
            if (job.PowerFraction <= floor)
            {
                continue;
            }
            var perFraction = Math.Min(job.Spec.Gpus, job.Placement.Gpus) * hub.Pools[job.Placement.Pool].Accelerator.TdpWatts;
            var target = Math.Max(floor, job.PowerFraction - excess / perFraction);
            var saved = (job.PowerFraction - target) * perFraction;
            it -= saved;
            fraction[job.Id] = target;
            steps.Add(new CurtailStep("throttle", $"job {job.Id}", saved, job.Id.Value, target));
        }

        foreach (var job in jobs.OrderBy(j => j.Spec.Priority).ThenByDescending(j => j.Spec.Checkpointable || j.Spec.Deferrable)
            .ThenByDescending(j => j.StartUnix).ThenBy(j => j.Id))
        {
            if (it - limit <= Slack)
            {
                break;
            }
            var pool = hub.Pools[job.Placement.Pool];
            var saved = pool.BusyDeltaWatts(Math.Min(job.Spec.Gpus, job.Placement.Gpus), fraction[job.Id]);
            var moved = job.Spec.Checkpointable || job.Spec.Deferrable;
            var lost = job.Spec.Checkpointable ? 0 : job.Placement.Gpus * Math.Max(0, now - job.StartUnix) / 3600.0;
            it -= saved;
            steps.Add(new CurtailStep(moved ? "move" : "preempt", $"job {job.Id} ({job.Spec.Priority.ToString().ToLowerInvariant()}, {job.Placement.Gpus} GPUs)", saved, job.Id.Value, GpuHoursLost: lost));
        }

        var reached = it * c.Pue;
        return new CurtailPlan(hub.Sites[site].Name, targetFacilityWatts, fromUnix, untilUnix, c.Pue, limit, before, reached, reached <= targetFacilityWatts + 1e-3,
            steps.Count(s => s.Kind == "suspend"), steps.Count(s => s.Kind == "throttle"), steps.Count(s => s.Kind == "move"), steps.Count(s => s.Kind == "preempt"),
            steps.Sum(s => s.GpuHoursLost), steps);
    }
}
