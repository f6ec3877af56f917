using Serai.Core.Jobs;
using Serai.Scheduling.Cycle;

namespace Serai.Scheduling.Envelope;

/// <summary>
/// Keeps every site inside its envelope at this hour. Over the limit: throttle running jobs (lowest class and
/// youngest first) down to the profile's floor, then preempt (preemptible and checkpointable first) until the site
/// fits. Under the limit: restore throttled jobs, highest class first, while headroom lasts.
/// </summary>
internal static class EnvelopeController
{
    private const double Slack = 1e-6;

    public static void Control(CycleContext context, double throttleFloor, List<Decision> decisions, Action onRelease)
    {
        for (var site = 0; site < context.Hub.Sites.Length; site++)
        {
            var limit = context.Conditions(site).ItLimitWatts;
            var over = context.ItWatts(site) > limit + Slack;
            if (!over && context.State.ThrottledCount(site) == 0)
            {
                continue;
            }
            var jobs = JobsAt(context, site);
            if (over)
            {
                Shed(context, site, limit, throttleFloor, jobs, decisions, onRelease);
            }
            else
            {
                Restore(context, site, limit, jobs, decisions);
            }
        }
    }

    private static List<RunningJob> JobsAt(CycleContext context, int site) =>
        context.State.Running.Values.Where(j => context.Hub.Pools[j.Placement.Pool].Site == site).ToList();

    private static void Shed(CycleContext context, int site, double limit, double floor, List<RunningJob> jobs, List<Decision> decisions, Action onRelease)
    {
        var over = context.ItWatts(site);
        jobs.Sort((x, y) =>
        {
            var c = ((int)x.Spec.Priority).CompareTo((int)y.Spec.Priority);
            return c != 0 ? c : y.StartUnix.CompareTo(x.StartUnix) is var d && d != 0 ? d : x.Id.CompareTo(y.Id);
        });
        foreach (var job in jobs)
        {
            var excess = context.ItWatts(site) - limit;
            if (excess <= Slack)
            {
                return;
            }
            if (job.PowerFraction <= floor)
            {
                continue;
            }
            var pool = context.Hub.Pools[job.Placement.Pool];
            var gpus = Core.State.HubState.PowerGpus(job);
            var perFraction = gpus * pool.Accelerator.TdpWatts;
            var target = Math.Max(floor, job.PowerFraction - excess / perFraction);
            context.State.SetPowerFraction(job.Id, target);
            decisions.Add(Decision.Throttle(job.Id, target, new Reason(ReasonCode.EnvelopeThrottle, "envelope", job.Placement.Pool, Have: over, Need: limit)));
        }
        var victims = jobs.Select(j => context.State.Running[j.Id]).OrderBy(j => j.Spec.Priority)
            .ThenByDescending(j => j.Spec.Checkpointable).ThenByDescending(j => j.StartUnix).ThenBy(j => j.Id).ToList();
        foreach (var victim in victims)
        {
            var excess = context.ItWatts(site) - limit;
            if (excess <= Slack)
            {
                return;
            }
            context.State.Release(victim.Id);
            onRelease();
            decisions.Add(Decision.Preempt(victim.Id, default, new Reason(ReasonCode.EnvelopePreempt, "envelope", victim.Placement.Pool, Have: excess + limit, Need: limit)));
        }
    }

    private static void Restore(CycleContext context, int site, double limit, List<RunningJob> jobs, List<Decision> decisions)
    {
        foreach (var job in jobs.Where(j => j.PowerFraction < j.Spec.PowerFraction).OrderByDescending(j => j.Spec.Priority).ThenBy(j => j.Id))
        {
            var pool = context.Hub.Pools[job.Placement.Pool];
            var gpus = Core.State.HubState.PowerGpus(job);
            var headroom = limit - context.ItWatts(site);
            var target = Math.Min(job.Spec.PowerFraction, job.PowerFraction + headroom / (gpus * pool.Accelerator.TdpWatts));
            if (target <= job.PowerFraction + 0.01)
            {
                return;
            }
            context.State.SetPowerFraction(job.Id, target);
            decisions.Add(Decision.Throttle(job.Id, target, new Reason(ReasonCode.EnvelopeRestore, "envelope", job.Placement.Pool, Have: headroom, Need: limit)));
        }
    }
}
