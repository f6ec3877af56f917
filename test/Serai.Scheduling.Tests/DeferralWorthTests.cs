using Serai.Core.Model;
using Serai.Scheduling.Tests.Support;
using static Serai.Scheduling.Tests.Support.TestHub;

namespace Serai.Scheduling.Tests;

/// <summary>Deferral only when it is worth its cost: the whole run, a relative and an absolute saving, a minimum length.</summary>
public class DeferralWorthTests
{
    /// <summary>Serai with waits unbounded by the job's run, so that each test shows its own rule, not the default bound.</summary>
    private static readonly Profiles.SchedulerProfile Unbounded =
        Profiles.BuiltInProfiles.Serai with { Deferral = Profiles.BuiltInProfiles.Serai.Deferral! with { MaxDelayShare = null } };

    private static HubModel SolarDip()
    {
        var hub = Build();
        var carbon = Core.Energy.SeriesGenerators.Carbon(600, 0.4, 0, 5);
        return new HubModel(hub.Name, hub.Countries, hub.Stacks, hub.Accelerators,
            hub.Sites.Select(s => s with { CarbonGPerKwh = carbon, PriceUsdPerKwh = Core.Energy.HourlySeries.Constant(0.06) }).ToArray(),
            hub.Pools, hub.Links, hub.Tenants, hub.Datasets, hub.ConfiguredAiSystems.Systems);
    }

    [Fact]
    public void A_job_shorter_than_the_minimum_is_never_deferred()
    {
        var driver = Cycles.NewDriver(SolarDip(), Unbounded, now: JanuaryNightUtc);
        var brief = Job(Startup, 8, 1u << Cuda, estimate: 1800, deferrable: true, deadline: JanuaryNightUtc + 2 * 86400);
        Assert.Equal(DecisionKind.Place, driver.Submit(JanuaryNightUtc, brief).For(brief).Kind);
    }

    [Fact]
    public void A_job_whose_energy_would_save_less_than_the_absolute_minimum_is_not_deferred()
    {
        var driver = Cycles.NewDriver(SolarDip(), Unbounded, now: JanuaryNightUtc);
        // one GPU for an hour: about 0.6 kWh, some 0.15 kg saved at the dip: under 1 kg
        var small = Job(Startup, 1, 1u << Cuda, estimate: 3600, deferrable: true, deadline: JanuaryNightUtc + 2 * 86400);
        Assert.Equal(DecisionKind.Place, driver.Submit(JanuaryNightUtc, small).For(small).Kind);
    }

    [Fact]
    public void A_long_run_is_judged_over_its_whole_window_and_not_deferred_when_the_dip_is_a_small_part_of_it()
    {
        var driver = Cycles.NewDriver(SolarDip(), Unbounded, now: JanuaryNightUtc);
        // 48 h cover two dips whatever the start: waiting for a dip saves well under 10 % of the run's carbon
        var longRun = Job(Startup, 8, 1u << Cuda, estimate: 48 * 3600, deferrable: true, deadline: JanuaryNightUtc + 5 * 86400);
        Assert.Equal(DecisionKind.Place, driver.Submit(JanuaryNightUtc, longRun).For(longRun).Kind);
    }

    [Fact]
    public void A_job_that_may_land_on_a_dirtier_site_later_is_not_deferred_for_a_cleaner_hour_at_the_clean_one()
    {
        // Astana dips to about 360 g/kWh at midday; Termez stays at 900. A job that may run at either could wait for
        // Astana's dip, but when it wakes the scheduler may place it at Termez: the wait must pay off wherever it lands.
        var hub = Build(termezCarbon: 900);
        var dip = Core.Energy.SeriesGenerators.Carbon(600, 0.4, 0, 5);
        hub = new HubModel(hub.Name, hub.Countries, hub.Stacks, hub.Accelerators,
            hub.Sites.Select(s => s with { CarbonGPerKwh = s.Index == Astana ? dip : s.CarbonGPerKwh, PriceUsdPerKwh = Core.Energy.HourlySeries.Constant(0.06) }).ToArray(),
            hub.Pools, hub.Links, hub.Tenants, hub.Datasets, hub.ConfiguredAiSystems.Systems);
        var anywhere = Job(Startup, 8, (1u << Cuda) | (1u << Rocm), estimate: 3600, deferrable: true, deadline: JanuaryNightUtc + 2 * 86400);
        Assert.Equal(DecisionKind.Place, Cycles.NewDriver(hub, Unbounded, now: JanuaryNightUtc).Submit(JanuaryNightUtc, anywhere).For(anywhere).Kind);

        var astanaOnly = Job(Startup, 8, 1u << Cuda, estimate: 3600, deferrable: true, deadline: JanuaryNightUtc + 2 * 86400);
        Assert.Equal(DecisionKind.Defer, Cycles.NewDriver(hub, Unbounded, now: JanuaryNightUtc).Submit(JanuaryNightUtc, astanaOnly).For(astanaOnly).Kind);
    }

    [Fact]
    public void A_deferral_waits_at_most_the_profile_s_share_of_the_job_s_run()
    {
        var job = Job(Startup, 8, 1u << Cuda, estimate: 3 * 3600, deferrable: true, deadline: JanuaryNightUtc + 2 * 86400);
        var unbounded = Cycles.NewDriver(SolarDip(), Unbounded, now: JanuaryNightUtc).Submit(JanuaryNightUtc, job).For(job);
        Assert.Equal(DecisionKind.Defer, unbounded.Kind);
        var wait = unbounded.UntilUnix - JanuaryNightUtc;
        Assert.True(wait > 3 * 3600, $"the dip is {wait} s away: a bound of one run would not bind");

        foreach (var share in new[] { 0.0, 0.05, 0.5, 1, 2 })
        {
            var profile = Profiles.BuiltInProfiles.Serai with { Deferral = Profiles.BuiltInProfiles.Serai.Deferral! with { MaxDelayShare = share } };
            var bounded = Cycles.NewDriver(SolarDip(), profile, now: JanuaryNightUtc).Submit(JanuaryNightUtc, job).For(job);
            Assert.True(bounded.Kind == DecisionKind.Place || bounded.UntilUnix - JanuaryNightUtc <= share * 3 * 3600, $"share {share}: {bounded.Kind} until {bounded.UntilUnix - JanuaryNightUtc} s");
        }
    }
}
