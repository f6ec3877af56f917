using Serai.Core.Jobs;
using Serai.Core.State;

namespace Serai.Scheduling;

/// <summary>Applies decisions to the state: the only writer besides backends' completion events.</summary>
public static class DecisionApplier
{
    /// <summary>
    /// Applies one decision. <paramref name="spec"/> is the job of a Place decision. Returns the running job
    /// that a Preempt decision stopped (to be requeued), or null.
    /// </summary>
    public static RunningJob? Apply(HubState state, Decision decision, JobSpec? spec, long nowUnix)
    {
        switch (decision.Kind)
        {
            case DecisionKind.Place:
                var placement = decision.Placement ?? throw new ArgumentException("a Place decision carries a placement");
                var job = spec ?? throw new ArgumentNullException(nameof(spec), "a Place decision needs the job's spec");
                state.Start(new RunningJob(job, placement, nowUnix, decision.PowerFraction));
                return null;
            case DecisionKind.Preempt:
                return state.Release(decision.Job);
            case DecisionKind.Throttle:
                if (state.Running.ContainsKey(decision.Job))
                {
                    state.SetPowerFraction(decision.Job, decision.PowerFraction);
                }
                return null;
            default:
                return null;
        }
    }
}
