using Serai.Core.Jobs;
using Serai.Core.Model;
using Serai.Core.State;
using Serai.Scheduling.Incremental;
using Serai.Scheduling.Profiles;
using static Serai.Scheduling.Tests.Support.TestHub;

namespace Serai.Scheduling.Tests;

/// <summary>
/// A shape kept asleep by a failed victim search wakes, within the same incremental cycle, when a tenant whose jobs
/// were protected by its guarantee starts work earlier in that cycle and so may lose them.
/// </summary>
public class IncrementalVictimTests
{
    [Fact]
    public void A_protected_tenant_starting_work_earlier_in_the_cycle_wakes_a_gang_waiting_for_victims()
    {
        // two H200 pools: Astana's (KZ) and Termez's (UZ); tenants may borrow the whole hub
        var build = Build();
        var pools = build.Pools.Select(p => p.Index == Mi300Pool ? p with { Accelerator = build.Accelerators[0] } : p).ToArray();
        var tenants = build.Tenants.Select(t => t with { BorrowLimitGpus = 1000 }).ToArray();
        var hub = new HubModel(build.Name, build.Countries, build.Stacks, build.Accelerators, build.Sites, pools, build.Links, tenants,
            build.Datasets, build.ConfiguredAiSystems.Systems);
        var state = new HubState(hub, JanuaryNightUtc);
        // without backfill a dormant shape is passed over (with it, it may still be looked at to take a reservation)
        var profile = BuiltInProfiles.Serai with { Name = "serai-no-backfill", ReservationDepth = 0 };
        var incremental = new Scheduler(profile) { Incremental = true };
        var reference = new Scheduler(profile);
        var queue = new List<PendingJob>();
        var now = JanuaryNightUtc;
        int[] kz = [KzCitizens];

        // Astana full: two low jobs of the consortium (guarantee 16 H200) and two normal ones of the ministry
        Cycle([Job(Consortium, 8, 1u << Cuda, PriorityClass.Low, datasets: kz, id: 93_001), Job(Consortium, 8, 1u << Cuda, PriorityClass.Low, datasets: kz, id: 93_002),
            Job(Ministry, 8, 1u << Cuda, PriorityClass.Normal, id: 93_003), Job(Ministry, 8, 1u << Cuda, PriorityClass.Normal, id: 93_004)]);
        Assert.Equal(0, state.Pools[H200Pool].FreeGpus);
        // the consortium borrows 4 more at Termez: 20 held, so losing 8 would take it below its guarantee
        Cycle([Job(Consortium, 4, 1u << Cuda, PriorityClass.Low, id: 93_005)]);
        Assert.Equal(20, state.Allocated(Consortium, 0));

        // a normal gang that must stay in Kazakhstan finds no victim and falls asleep
        var gang = Job(Ministry, 16, 1u << Cuda, PriorityClass.Normal, datasets: kz, id: 93_006) with { GpusPerNode = 8 };
        Assert.DoesNotContain(Cycle([gang]).Decisions, d => d.Job == gang.Id);
        Cycle([]);
        Assert.Equal(1, incremental.IncrementalCounters.ShapesDormant);

        // the consortium's high job comes first in the order and starts at Termez: 36 held, so both low jobs may go,
        // and later in the same cycle the gang takes their nodes
        var grow = Job(Consortium, 16, 1u << Cuda, PriorityClass.High, id: 93_007) with { GpusPerNode = 8 };
        var result = Cycle([grow]);
        Assert.Contains(result.Decisions, d => d.Job == grow.Id && d.Kind == DecisionKind.Place);
        Assert.Equal(2, result.Decisions.Count(d => d.Kind == DecisionKind.Preempt));
        Assert.Contains(result.Decisions, d => d.Job == gang.Id && d.Kind == DecisionKind.Place);

        CycleResult Cycle(JobSpec[] arrivals)
        {
            queue.AddRange(arrivals.Select(j => new PendingJob(j)));
            now += 60;
            state.AdvanceUsage(now);
            // the incremental cycle first: a reference cycle's tentative starts and releases count as changes to the pools
            var actual = incremental.Schedule(state, queue, now, explainWaits: false);
            var expected = reference.ScheduleFull(state, queue, now, explainWaits: false);

            Assert.True(IncrementalScheduling.SameDecisions(expected, actual),
                $"full:\n  {string.Join("\n  ", expected.Decisions.Select(d => d.Describe(hub)))}\nincremental:\n  {string.Join("\n  ", actual.Decisions.Select(d => d.Describe(hub)))}");
            foreach (var d in actual.Decisions)
            {
                var index = queue.FindIndex(j => j.Id == d.Job);
                if (d.Kind == DecisionKind.Place)
                {
                    DecisionApplier.Apply(state, d, queue[index].Spec, now);
                    queue.RemoveAt(index);
                }
                else if (d.Kind == DecisionKind.Preempt && DecisionApplier.Apply(state, d, null, now) is { } stopped)
                {
                    queue.Add(new PendingJob(stopped.Spec));
                }
            }
            return actual;
        }
    }
}
