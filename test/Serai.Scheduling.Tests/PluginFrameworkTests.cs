using System.Globalization;
using FsCheck.Xunit;
using Serai.Core.Jobs;
using Serai.Scheduling.Filters;
using Serai.Scheduling.Plugins;
using Serai.Scheduling.Profiles;
using Serai.Scheduling.Scores;
using Serai.Scheduling.Tests.Support;
using static Serai.Scheduling.Tests.Support.TestHub;

namespace Serai.Scheduling.Tests;

/// <summary>Plugins by name: a profile is assembled from a registry; the names and weights decide, not their order.</summary>
public class PluginFrameworkTests
{
    /// <summary>A filter of one's own: no new work at Termez.</summary>
    private sealed class NotAtTermez : IPoolFilter
    {
        public string Name => "not-at-termez";
        public FilterKind Kind => FilterKind.State;

        public Reason? Filter(ISchedulingView view, JobSpec job, int pool) =>
            view.Hub.Pools[pool].Site == Termez ? new Reason(ReasonCode.PoolClosed, "someone else", pool) : null;
    }

    /// <summary>A score of one's own: the more memory per GPU the better.</summary>
    private sealed class MemoryScore : IPoolScore
    {
        public string Name => "memory";
        public bool LowerIsBetter => false;

        public double Raw(ISchedulingView view, JobSpec job, int pool) => view.Hub.Pools[pool].Accelerator.MemoryGb;
    }

    [Fact]
    public void Every_built_in_profile_runs_the_safety_filters_and_only_its_own_optional_ones()
    {
        var safety = PluginRegistry.BuiltIn.SafetyFilters;
        foreach (var profile in BuiltInProfiles.All)
        {
            var plugins = PluginRegistry.BuiltIn.Assemble(profile);
            var filters = plugins.Permanent.Concat(plugins.State).Select(f => f.Name).ToList();
            Assert.Equal(safety.Concat(profile.Filters).Order(), filters.Order());
        }
        Assert.Equal(["stack-memory", "gang-shape", "residency", "pool-open", "capacity", "power-envelope"], safety);
        Assert.Equal(["priority-fairshare", "stack-memory", "gang-shape", "residency", "pool-open", "quota", "capacity", "power-envelope",
            "packing", "energy-price", "carbon", "data-locality", "priority-reclaim", "carbon"], PluginRegistry.BuiltIn.Assemble(BuiltInProfiles.Serai).Names);
    }

    [Fact]
    public void A_filter_registered_by_name_runs_when_a_profile_names_it_and_its_rejection_carries_its_name()
    {
        var registry = PluginRegistry.BuiltIn.AddFilter(new NotAtTermez());
        var profile = BuiltInProfiles.Serai with { Name = "kz-only", Filters = ["quota", "not-at-termez"] };
        var driver = new Driver(new Core.State.HubState(Build(), JanuaryNightUtc), new Scheduler(profile, registry.Assemble(profile)));
        var filler = Job(Consortium, 32, 1u << Cuda, estimate: 3600);
        var rocm = Job(Startup, 4, 1u << Rocm);

        var result = driver.Submit(JanuaryNightUtc, filler, rocm);

        Assert.Equal(DecisionKind.Place, result.For(filler).Kind);
        var wait = result.For(rocm);
        Assert.Equal(DecisionKind.Wait, wait.Kind);
        Assert.Equal("not-at-termez", wait.Reason.Plugin);
    }

    [Fact]
    public void A_score_registered_by_name_steers_placement_by_its_weight()
    {
        var registry = PluginRegistry.BuiltIn.AddScore(new MemoryScore());
        var profile = BuiltInProfiles.Serai with { Name = "memory", Scores = SchedulerProfile.ScoreMap(("memory", 1)) };
        var driver = new Driver(new Core.State.HubState(Build(), JanuaryNightUtc), new Scheduler(profile, registry.Assemble(profile)));
        var job = Job(Startup, 4, (1u << Cuda) | (1u << Rocm));

        driver.Submit(JanuaryNightUtc, job);

        Assert.Equal(Mi300Pool, driver.PoolOf(job)); // 192 GB per MI300X against 141 per H200
    }

    [Fact]
    public void A_profile_with_unknown_plugins_or_bad_numbers_is_told_what_is_allowed_and_cannot_be_assembled()
    {
        var profile = BuiltInProfiles.Serai with
        {
            Name = "broken",
            QueueOrder = "lifo",
            Filters = ["quota", "colour"],
            Scores = SchedulerProfile.ScoreMap(("carbonn", 1), ("packing", -2)),
            Preemption = "random",
            Deferral = new DeferralSettings("price", MinGain: 2, HorizonHours: 0),
            ReservationDepth = 100,
        };

        var problems = PluginRegistry.BuiltIn.Check(profile).Select(p => p.ToString()).ToList();

        Assert.Equal(
        [
            "queue: 'lifo' — allowed: one of fifo, priority-fairshare, sjf, priority, least-attained",
            "filters[1]: 'colour' — allowed: one of stack-memory, gang-shape, residency, pool-open, quota, capacity, power-envelope",
            "scores.carbonn: 'carbonn' — allowed: one of packing, energy-price, carbon, data-locality",
            "scores.packing: '-2' — allowed: a number from 0 to 1000 (0 leaves the score out)",
            "preemption: 'random' — allowed: one of priority, priority-reclaim, shortest-remaining, least-attained",
            "deferral.plugin: 'price' — allowed: one of carbon",
            "deferral.minGain: '2' — allowed: a number from 0 to 1 (share by which a later hour must be cleaner)",
            "deferral.horizonHours: '0' — allowed: an integer from 1 to 168 (hours ahead)",
            "reservations: '100' — allowed: an integer from 0 to 64 (0: no backfill)",
        ], problems);
        var error = Assert.Throws<ArgumentException>(() => new Scheduler(profile));
        Assert.Contains("'lifo'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_plugin_set_must_come_from_the_scheduler_s_own_profile()
    {
        var plugins = PluginRegistry.BuiltIn.Assemble(BuiltInProfiles.Fifo);

        Assert.Throws<ArgumentException>(() => new Scheduler(BuiltInProfiles.Serai, plugins));
        Assert.Same(plugins, new Scheduler(BuiltInProfiles.Fifo, plugins).Plugins);
    }

    [Property(MaxTest = 200, QuietOnSuccess = true)]
    public void A_profile_listing_the_same_plugins_in_another_order_decides_exactly_as_the_built_in_one(int seed)
    {
        Assert.Equal(Trace(seed, scheduler: null), Trace(seed, profile => new Scheduler(Shuffled(profile))));
    }

    /// <summary>The same profile written the other way round, with safety filters named too (which changes nothing).</summary>
    private static SchedulerProfile Shuffled(SchedulerProfile profile) => profile with
    {
        Name = profile.Name + "-shuffled",
        Filters = [.. PluginRegistry.BuiltIn.SafetyFilters.Concat(profile.Filters).Reverse()],
        Scores = profile.Scores.Reverse().ToDictionary(s => s.Key, s => s.Value),
    };

    private static List<string> Trace(int seed, Func<SchedulerProfile, Scheduler>? scheduler)
    {
        var lines = new List<string>();
        RandomScenario.Run(seed, step => lines.AddRange(step.Result.Decisions.Select(Line)), scheduler: scheduler);
        return lines;
    }

    private static string Line(Decision d) => string.Create(CultureInfo.InvariantCulture,
        $"{d.Kind} {d.Job} {d.Reason} {d.PowerFraction:R} {d.UntilUnix} {d.ForJob} {d.Placement?.Pool} {string.Join(",", d.Placement?.Nodes ?? [])} {string.Join(",", d.Placement?.GpuMasks ?? [])}");
}
