using Serai.Core.Jobs;
using Serai.Core.State;

namespace Serai.Scheduling.Tests.Support;

/// <summary>Runs cycles and applies their decisions the way a control loop does, keeping the queue in step.</summary>
public sealed class Driver(HubState state, Scheduler scheduler)
{
    public HubState State { get; } = state;
    public List<PendingJob> Queue { get; } = [];
    public List<Decision> History { get; } = [];
    public Scheduler Scheduler { get; } = scheduler;

    /// <summary>Each tenant's GPUs per accelerator, and the running jobs, when the last cycle began.</summary>
    public int[,] AllocatedBefore { get; private set; } = new int[0, 0];
    public Dictionary<JobId, RunningJob> RunningBefore { get; private set; } = [];

    /// <summary>Every job this driver has seen, by id.</summary>
    public Dictionary<JobId, JobSpec> Specs { get; } = [];

    public CycleResult Cycle(long nowUnix)
    {
        State.AdvanceUsage(nowUnix);
        AllocatedBefore = new int[State.Hub.Tenants.Length, State.Hub.Accelerators.Length];
        foreach (var t in State.Hub.Tenants)
        {
            foreach (var a in State.Hub.Accelerators)
            {
                AllocatedBefore[t.Index, a.Index] = State.Allocated(t.Index, a.Index);
            }
        }
        RunningBefore = new Dictionary<JobId, RunningJob>(State.Running);
        var result = Scheduler.Schedule(State, Queue, nowUnix);
        var byId = Queue.ToDictionary(j => j.Id);
        foreach (var j in Queue)
        {
            Specs[j.Id] = j.Spec;
        }
        foreach (var d in result.Decisions)
        {
            History.Add(d);
            switch (d.Kind)
            {
                case DecisionKind.Place:
                    DecisionApplier.Apply(State, d, byId[d.Job].Spec, nowUnix);
                    Queue.Remove(byId[d.Job]);
                    break;
                case DecisionKind.Preempt:
                    var stopped = DecisionApplier.Apply(State, d, null, nowUnix);
                    if (stopped is not null)
                    {
                        var requeued = new PendingJob(stopped.Spec);
                        Queue.Add(requeued);
                        byId[requeued.Id] = requeued;
                    }
                    break;
                case DecisionKind.Throttle:
                    DecisionApplier.Apply(State, d, null, nowUnix);
                    break;
                case DecisionKind.Defer:
                    var deferred = byId[d.Job];
                    Queue[Queue.IndexOf(deferred)] = deferred with { NotBeforeUnix = d.UntilUnix, WasDeferred = true };
                    break;
                case DecisionKind.Reject:
                    Queue.Remove(byId[d.Job]);
                    break;
            }
        }
        return result;
    }

    public void Complete(JobId id) => State.Release(id);
}
