using Serai.Core.State;
using Serai.Core.Synthetic;
using Serai.Scheduling.Profiles;

namespace Serai.Scheduling.Tests.Support;

/// <summary>
/// A random hub and workload driven through several cycles with completions, heat waves, cap cuts and node
/// failures in between; every cycle's decisions are applied and handed to a check.
/// </summary>
public static class RandomScenario
{
    public static readonly long Start = new DateTimeOffset(2026, 7, 10, 6, 0, 0, TimeSpan.Zero).ToUnixTimeSeconds();

    public sealed record Step(HubState State, long NowUnix, CycleResult Result, Driver Driver);

    /// <summary>
    /// Runs the scenario for <paramref name="seed"/>; <paramref name="check"/> sees the state after each cycle.
    /// <paramref name="scheduler"/> may replace the scheduler of the built-in profile the seed draws (same draws after);
    /// <paramref name="sharedGpuShare"/> of the one-GPU jobs ask for part of a GPU.
    /// </summary>
    public static void Run(int seed, Action<Step> check, bool looseEnvelope = false, bool events = true, Func<SchedulerProfile, Scheduler>? scheduler = null,
        double sharedGpuShare = 0)
    {
        var random = new Random(seed);
        var options = new SyntheticHubOptions(
            Sites: 2 + random.Next(3),
            TotalGpus: 64 + random.Next(8) * 64,
            Tenants: 2 + random.Next(5),
            Datasets: 1 + random.Next(4),
            Countries: 1 + random.Next(3),
            ItCapHeadroom: looseEnvelope ? 5 : 1.3,
            HotSites: !looseEnvelope);
        var hub = SyntheticHub.Build(random, options);
        if (looseEnvelope)
        {
            hub = LooseEnvelope(hub);
        }
        var profile = BuiltInProfiles.All[random.Next(BuiltInProfiles.All.Count)];
        var state = new HubState(hub, Start);
        var driver = new Driver(state, scheduler?.Invoke(profile) ?? new Scheduler(profile));
        var now = Start;
        var nextId = 1L;
        for (var step = 0; step < 5; step++)
        {
            var arrivals = 5 + random.Next(40);
            for (var i = 0; i < arrivals; i++)
            {
                driver.Queue.Add(new(SyntheticJobs.Next(random, hub, nextId++, now, sharedGpuShare)));
            }
            var result = driver.Cycle(now);
            check(new Step(state, now, result, driver));
            foreach (var id in state.Running.Keys.Where(_ => random.Next(3) == 0).ToList())
            {
                driver.Complete(id);
            }
            if (events)
            {
                Disturb(random, state);
            }
            now += 600 + random.Next(6 * 3600);
        }
    }

    private static void Disturb(Random random, HubState state)
    {
        var site = random.Next(state.Hub.Sites.Length);
        switch (random.Next(4))
        {
            case 0:
                state.SetOverride(site, new SiteOverride(TemperatureOffsetC: 5 + random.Next(15)));
                break;
            case 1:
                state.SetOverride(site, new SiteOverride(ItCapWatts: state.Hub.Sites[site].ItCapWatts * (0.3 + random.NextDouble() * 0.6)));
                break;
            case 2:
                var pool = random.Next(state.Hub.Pools.Length);
                var node = random.Next(state.Hub.Pools[pool].Nodes);
                foreach (var job in state.Pools[pool].JobsOn(node).ToList())
                {
                    state.Release(job);
                }
                state.SetNodeDown(pool, node, true);
                break;
            default:
                state.SetOverride(site, null);
                break;
        }
    }

    private static Core.Model.HubModel LooseEnvelope(Core.Model.HubModel hub)
    {
        var sites = hub.Sites.Select(s => s with { ItCapWatts = 1e12, GridWatts = 1e13, Cooling = s.Cooling with { CapacityWatts = 1e12 } }).ToArray();
        return new Core.Model.HubModel(hub.Name, hub.Countries, hub.Stacks, hub.Accelerators, sites, hub.Pools, hub.Links, hub.Tenants, hub.Datasets, hub.ConfiguredAiSystems.Systems);
    }
}
