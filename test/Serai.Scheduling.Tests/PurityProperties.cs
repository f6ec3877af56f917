using FsCheck.Xunit;
using Serai.Core.State;
using Serai.Core.Synthetic;
using Serai.Scheduling.Profiles;
using Serai.Scheduling.Tests.Support;

namespace Serai.Scheduling.Tests;

/// <summary>The scheduler is a pure function: it leaves the state as it found it, and the same inputs give the same decisions.</summary>
public class PurityProperties
{
    [Property(MaxTest = 300, QuietOnSuccess = true)]
    public void A_cycle_leaves_the_state_as_it_found_it(int seed) =>
        RandomScenario.Run(seed, step =>
        {
            var before = Fingerprint(step.State);
            var scheduler = new Scheduler(step.Driver.Scheduler.Profile);
            var queue = step.Driver.Queue.ToList();
            scheduler.Schedule(step.State, queue, step.NowUnix + 3600);
            Assert.Equal(before, Fingerprint(step.State));
        });

    [Property(MaxTest = 300, QuietOnSuccess = true)]
    public void The_same_inputs_give_the_same_decisions(int seed)
    {
        Assert.Equal(Trace(seed), Trace(seed));
    }

    private static List<string> Trace(int seed)
    {
        var lines = new List<string>();
        RandomScenario.Run(seed, step => lines.AddRange(step.Result.Decisions.Select(d => d.Describe(step.State.Hub))));
        return lines;
    }

    private static string Fingerprint(HubState state)
    {
        var running = string.Join(";", state.Running.Values.OrderBy(j => j.Id).Select(j => $"{j.Id}@{j.Placement.Pool}:{string.Join(",", j.Placement.Nodes)}:{j.PowerFraction:F6}"));
        var pools = string.Join(";", state.Pools.Select(p => $"{p.FreeGpus}/{p.FreeWholeNodes}/{p.LargestFreeOnNode}"));
        var sites = string.Join(";", state.Hub.Sites.Select(s => state.SiteItWatts(s.Index).ToString("R", System.Globalization.CultureInfo.InvariantCulture)));
        var tenants = string.Join(";", state.Hub.Tenants.Select(t => $"{state.AllocatedTotal(t.Index)}/{state.Borrowed(t.Index)}"));
        return $"{running}|{pools}|{sites}|{tenants}";
    }

    [Fact]
    public void Every_built_in_profile_runs_on_a_large_synthetic_hub()
    {
        var random = new Random(3);
        var hub = SyntheticHub.Build(random, new SyntheticHubOptions(TotalGpus: 10_000));
        foreach (var profile in BuiltInProfiles.All)
        {
            var state = new HubState(hub, RandomScenario.Start);
            var result = new Scheduler(profile).Schedule(state, SyntheticJobs.Queue(new Random(5), hub, 5000, RandomScenario.Start), RandomScenario.Start);
            Assert.True(result.Placed > 100, $"{profile.Name} placed {result.Placed}");
        }
    }
}
