using Serai.Core.State;
using Serai.Runtime;

namespace Serai.Server.Operations;

/// <summary>
/// Idle power as an action (Slurm's power saving, driven by the envelope): a site over its IT limit has wholly idle
/// nodes suspended, highest index first, until it fits, before the envelope controller throttles or preempts; a site
/// with suspended nodes, waiting work and headroom for a node's idle draw resumes one node at a time, which draws idle
/// power at once and takes work only after the resume time. Runs on the control loop's thread.
/// </summary>
public sealed class PowerSaver(OperationsOptions options)
{
    private const double Slack = 1e-6;
    private readonly Dictionary<(int Pool, int Node), long> _resumeDue = [];

    /// <summary>Suspends, resumes and turns on nodes as the sites' envelopes and the queue ask.</summary>
    public void Step(HubRuntime runtime, long nowUnix)
    {
        if (!options.SuspendIdleNodes)
        {
            return;
        }
        foreach (var ((pool, node), due) in _resumeDue.Where(r => r.Value <= nowUnix).ToList())
        {
            _resumeDue.Remove((pool, node));
            runtime.SetNodePower(pool, node, NodePower.On, 0);
        }
        var waiting = runtime.PendingCount - runtime.ParkedCount > 0;
        for (var s = 0; s < runtime.Hub.Sites.Length; s++)
        {
            var c = runtime.State.Conditions(s, nowUnix);
            if (c.ItWatts > c.ItLimitWatts + Slack)
            {
                SuspendUntilWithin(runtime, s, nowUnix);
            }
            else if (waiting)
            {
                ResumeOne(runtime, s, c, nowUnix);
            }
        }
    }

    /// <summary>Nodes suspended and resuming at a site now.</summary>
    public static (int Suspended, int Resuming) Count(HubRuntime runtime, int site)
    {
        var (suspended, resuming) = (0, 0);
        foreach (var p in runtime.Hub.Sites[site].PoolIndexes)
        {
            var pool = runtime.State.Pools[p];
            for (var n = 0; n < pool.Pool.Nodes; n++)
            {
                suspended += pool.Power(n) == NodePower.Suspended ? 1 : 0;
                resuming += pool.Power(n) == NodePower.Resuming ? 1 : 0;
            }
        }
        return (suspended, resuming);
    }

    private void SuspendUntilWithin(HubRuntime runtime, int site, long nowUnix)
    {
        foreach (var p in runtime.Hub.Sites[site].PoolIndexes)
        {
            var pool = runtime.State.Pools[p];
            for (var n = pool.Pool.Nodes - 1; n >= 0; n--)
            {
                var c = runtime.State.Conditions(site, nowUnix);
                if (c.ItWatts <= c.ItLimitWatts + Slack)
                {
                    return;
                }
                if (pool.Power(n) == NodePower.On && !pool.IsDown(n) && pool.JobsOn(n).Count == 0)
                {
                    runtime.SetNodePower(p, n, NodePower.Suspended, SuspendedWatts(pool.Pool));
                }
            }
        }
    }

    private void ResumeOne(HubRuntime runtime, int site, SiteConditions c, long nowUnix)
    {
        foreach (var p in runtime.Hub.Sites[site].PoolIndexes)
        {
            var pool = runtime.State.Pools[p];
            var wakeWatts = NodeIdleWatts(pool.Pool) - SuspendedWatts(pool.Pool);
            for (var n = 0; n < pool.Pool.Nodes; n++)
            {
                if (pool.Power(n) == NodePower.Suspended && c.ItWatts + wakeWatts <= c.ItLimitWatts)
                {
                    runtime.SetNodePower(p, n, NodePower.Resuming, 0);
                    _resumeDue[(p, n)] = nowUnix + Math.Max(0, options.ResumeSeconds);
                    return;
                }
            }
        }
    }

    private static double NodeIdleWatts(Core.Model.NodePool pool) => pool.GpusPerNode * pool.Accelerator.IdleWatts + pool.NodeOverheadWatts;

    private double SuspendedWatts(Core.Model.NodePool pool) => NodeIdleWatts(pool) * Math.Clamp(options.SuspendedDrawFraction, 0, 1);
}
