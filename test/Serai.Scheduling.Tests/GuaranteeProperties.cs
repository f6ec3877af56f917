using FsCheck.Xunit;
using Serai.Core.Jobs;
using Serai.Scheduling.Filters;
using Serai.Scheduling.Tests.Support;

namespace Serai.Scheduling.Tests;

/// <summary>Guarantees: preemption never takes a tenant below its guarantee, and a tenant within its guarantee reclaims lent GPUs.</summary>
public class GuaranteeProperties
{
    [Property(MaxTest = 1000, QuietOnSuccess = true)]
    public void Preemption_never_takes_a_tenant_below_its_guarantee(int seed) =>
        RandomScenario.Run(seed, step =>
        {
            // Replay the cycle's decisions on the allocations it started from and check each preemption.
            var hub = step.State.Hub;
            var allocated = (int[,])step.Driver.AllocatedBefore.Clone();
            var placed = new Dictionary<JobId, Placement>();
            foreach (var d in step.Result.Decisions)
            {
                if (d.Kind == DecisionKind.Place)
                {
                    placed[d.Job] = d.Placement!;
                    allocated[FindSpec(step, d.Job)!.Tenant, hub.Pools[d.Placement!.Pool].Accelerator.Index] += d.Placement.Gpus;
                }
                else if (d.Kind == DecisionKind.Preempt)
                {
                    var victim = FindSpec(step, d.Job)!;
                    var placement = placed.GetValueOrDefault(d.Job) ?? step.Driver.RunningBefore[d.Job].Placement;
                    var accelerator = hub.Pools[placement.Pool].Accelerator.Index;
                    allocated[victim.Tenant, accelerator] -= placement.Gpus;
                    if (d.Reason.Code == ReasonCode.EnvelopePreempt || FindSpec(step, d.ForJob)?.Tenant == victim.Tenant)
                    {
                        continue;
                    }
                    var guaranteed = hub.Tenants[victim.Tenant].GuaranteedGpus[accelerator];
                    Assert.True(allocated[victim.Tenant, accelerator] >= guaranteed,
                        $"tenant {victim.Tenant} left with {allocated[victim.Tenant, accelerator]} of guaranteed {guaranteed} after {d.Describe(hub)}");
                }
            }
        });

    [Property(MaxTest = 1000, QuietOnSuccess = true)]
    public void A_tenant_within_its_guarantee_does_not_wait_while_a_borrower_could_give_way(int seed) =>
        RandomScenario.Run(seed, step =>
        {
            if (step.Driver.Scheduler.Plugins.Preemption is not Preemption.PriorityPreemption { Reclaim: true })
            {
                return;
            }
            // Within one cycle a tenant may become a borrower after a waiting job was considered; the next cycle at
            // the same instant must then make room.
            var settled = step.Driver.Cycle(step.NowUnix);
            var hub = step.State.Hub;
            var context = new Cycle.CycleContext(step.State, step.NowUnix);
            foreach (var wait in settled.Decisions.Where(d => d.Kind == DecisionKind.Wait && d.Reason.Code is ReasonCode.NoCapacity or ReasonCode.Reserved or ReasonCode.BlockedByReservation))
            {
                var job = FindSpec(step, wait.Job)!;
                if (job.Gpus != 1 || job.AiSystem >= 0)
                {
                    continue;
                }
                for (var p = 0; p < hub.Pools.Length; p++)
                {
                    if (Plugins.FilterRunner.Run(context, job, p, step.Driver.Scheduler.Plugins.PermanentFilters) is not null || step.State.Pools[p].ClosedToNewWork
                        || !QuotaFilter.WithinGuarantee(context, job, p))
                    {
                        continue;
                    }
                    var accelerator = hub.Pools[p].Accelerator.Index;
                    var giver = step.State.Running.Values.FirstOrDefault(v => v.Placement.Pool == p && v.Spec.Tenant != job.Tenant
                        && v.Spec.Priority <= job.Priority
                        && step.State.Allocated(v.Spec.Tenant, accelerator) - v.Placement.Gpus >= hub.Tenants[v.Spec.Tenant].GuaranteedGpus[accelerator]
                        && v.Placement.Nodes.All(n => !step.State.Pools[p].IsDown(n)));
                    Assert.True(giver is null,
                        $"job {job.Id} of tenant {job.Tenant} waits within its guarantee on {hub.Pools[p].Name} while borrower job {giver?.Id} of tenant {giver?.Spec.Tenant} could give way: {wait.Describe(hub)}");
                }
            }
        }, looseEnvelope: true, events: false);

    private static JobSpec? FindSpec(RandomScenario.Step step, JobId id) =>
        step.State.Running.TryGetValue(id, out var running) ? running.Spec : step.Driver.Specs.GetValueOrDefault(id);
}
