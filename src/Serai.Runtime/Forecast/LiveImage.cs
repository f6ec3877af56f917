using Serai.Core.Jobs;
using Serai.Core.Model;
using Serai.Core.State;
using Serai.Runtime.Lifecycle;

namespace Serai.Runtime.Forecast;

/// <summary>A pending job as the live runtime holds it: its spec, its deferral and its attempts so far.</summary>
public readonly record struct WaitingJob(JobSpec Spec, long NotBeforeUnix, int Attempts, int Preemptions);

/// <summary>What a pool's nodes may take: down, drained (closed) and GPUs held by work Serai did not place, per node.</summary>
public sealed record PoolNodes(bool Closed, bool[] Down, bool[] NodeClosed, int[] HeldOutside);

/// <summary>
/// A copy of the live hub runtime at one instant, enough to run it forward elsewhere: the hub and registry, the site
/// overrides (operators' and feeds'), the pools' nodes, the fair-share usage, the jobs holding GPUs and the jobs waiting.
/// Taken on the thread that owns the runtime; read anywhere afterwards.
/// </summary>
public sealed record LiveImage(
    HubModel Hub,
    AiSystemRegistry AiSystems,
    RuntimeOptions Options,
    long NowUnix,
    IReadOnlyList<SiteOverride> Overrides,
    IReadOnlyList<PoolNodes> Pools,
    IReadOnlyList<double> DecayedGpuSeconds,
    long UsageAsOfUnix,
    IReadOnlyList<RunningJob> Running,
    IReadOnlyList<WaitingJob> Waiting)
{
    /// <summary>
    /// Copies the runtime now. <paramref name="offered"/> says which pending jobs may run at all (the host's gate: held
    /// jobs and unmet dependencies stay out of the copy); null keeps every pending job.
    /// </summary>
    public static LiveImage Capture(HubRuntime runtime, Func<JobSpec, bool>? offered = null)
    {
        var hub = runtime.Hub;
        var state = runtime.State;
        var pools = hub.Pools.Select(p =>
        {
            var s = state.Pools[p.Index];
            return new PoolNodes(s.ClosedToNewWork,
                Enumerable.Range(0, p.Nodes).Select(s.IsDown).ToArray(),
                Enumerable.Range(0, p.Nodes).Select(s.IsClosed).ToArray(),
                Enumerable.Range(0, p.Nodes).Select(s.HeldOutside).ToArray());
        }).ToArray();
        var waiting = new List<WaitingJob>(runtime.PendingCount);
        var jobs = runtime.Jobs;
        for (var slot = 0; slot < jobs.Count; slot++)
        {
            if (jobs.Phase[slot] == JobPhase.Pending && (offered is null || offered(jobs.Spec[slot])))
            {
                waiting.Add(new WaitingJob(jobs.Spec[slot], jobs.NotBeforeUnix[slot], jobs.Attempt[slot], jobs.Preemptions[slot]));
            }
        }
        return new LiveImage(hub, runtime.AiSystems, runtime.Options, runtime.NowUnix,
            Enumerable.Range(0, hub.Sites.Length).Select(state.Override).ToArray(), pools,
            Enumerable.Range(0, hub.Tenants.Length).Select(state.DecayedGpuSeconds).ToArray(), state.UsageUpdatedUnix,
            [.. state.Running.Values.OrderBy(j => j.Id.Value)], waiting);
    }
}
