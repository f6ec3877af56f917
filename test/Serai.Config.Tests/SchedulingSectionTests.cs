using Serai.Scheduling.Plugins;
using Serai.Scheduling.Profiles;

namespace Serai.Config.Tests;

public class SchedulingSectionTests
{
    private const string Green = """
        scheduling:
          profile: green
          profiles:
            green:
              base: serai
              scores: {carbon: 3, packing: 1}
              deferral: {minGain: 0.2}
            strict:
              base: fifo
              reservations: 0
              preemption: off

        """;

    private static HubConfigResult Load(string scheduling) => HubConfigLoader.Load(BaseHub.Text + scheduling, "hub.yaml");

    [Fact]
    public void A_hub_without_the_section_runs_the_serai_profile()
    {
        var result = HubConfigLoader.Load(BaseHub.Text, "hub.yaml");

        Assert.Same(SchedulingConfig.Default, result.Scheduling);
        Assert.Same(BuiltInProfiles.Serai, result.Scheduling!.Profile);
    }

    [Fact]
    public void A_profile_of_the_file_starts_from_its_base_and_changes_only_what_it_names()
    {
        var result = Load(Green);

        Assert.Empty(result.Errors);
        var green = result.Scheduling!.Profile;
        Assert.Equal("green", green.Name);
        Assert.Equal(3, green.Scores["carbon"]);
        Assert.Equal(1, green.Scores["packing"]);
        Assert.Equal(1, green.Scores["energy-price"]);
        Assert.Equal(new DeferralSettings("carbon", 0.2, 24), green.Deferral);
        Assert.Equal(BuiltInProfiles.Serai with { Name = "green", Scores = green.Scores, Deferral = green.Deferral }, green);
        Assert.Equal(["green", "strict"], result.Scheduling.Defined.Select(p => p.Name));
        Assert.Same(green, result.Scheduling.ByName("GREEN"));
        Assert.Equal(["stack-memory", "gang-shape", "residency", "pool-open", "quota", "capacity", "power-envelope"],
            PluginRegistry.BuiltIn.Assemble(green).Permanent.Concat(PluginRegistry.BuiltIn.Assemble(green).State).Select(f => f.Name));
    }

    [Fact]
    public void A_built_in_profile_written_out_plugin_by_plugin_is_the_built_in_one()
    {
        var result = Load("""
            scheduling:
              profile: spelled-out
              profiles:
                spelled-out:
                  base: fifo
                  queue: priority-fairshare
                  strictOrder: false
                  filters: [quota, capacity]
                  scores: {packing: 1, energy-price: 1, carbon: 1, data-locality: 1}
                  reservations: 4
                  preemption: on
                  deferral: {plugin: carbon, minGain: 0.1, horizonHours: 24}
                  throttleFloor: 0.6

            """);

        Assert.Empty(result.Errors);
        var profile = result.Scheduling!.Profile;
        Assert.Equal(BuiltInProfiles.Serai.Describe(), profile.Describe());
        Assert.Equal(
            PluginRegistry.BuiltIn.Assemble(BuiltInProfiles.Serai).Names,
            PluginRegistry.BuiltIn.Assemble(profile).Names);
    }

    [Fact]
    public void Deferral_keys_set_the_absolute_saving_the_tolerance_and_the_shortest_job_deferred_and_the_rest_stays_the_base_s()
    {
        var result = Load(Green.Replace("deferral: {minGain: 0.2}", "deferral: {minSavingKg: 5, tolerance: 0.05, minJobHours: 0.5}", StringComparison.Ordinal));

        Assert.Empty(result.Errors);
        var d = result.Scheduling!.Profile.Deferral!;
        Assert.Equal(new DeferralSettings("carbon", 0.1, 24) { MinSavingKg = 5, Tolerance = 0.05, MinJobSeconds = 1800 }, d);
        Assert.Equal(new DeferralSettings(), BuiltInProfiles.Serai.Deferral);
    }

    [Fact]
    public void The_longest_wait_is_a_share_of_the_job_s_run_and_none_unless_set()
    {
        var result = Load(Green.Replace("deferral: {minGain: 0.2}", "deferral: {maxDelayShare: 0.05}", StringComparison.Ordinal));

        Assert.Empty(result.Errors);
        Assert.Equal(new DeferralSettings() { MaxDelayShare = 0.05 }, result.Scheduling!.Profile.Deferral);
        Assert.Equal(1, Load(Green).Scheduling!.Profile.Deferral!.MaxDelayShare);
        Assert.Equal(1, BuiltInProfiles.Serai.Deferral!.MaxDelayShare);
    }

    [Fact]
    public void The_section_may_pick_a_built_in_profile()
    {
        var result = Load("scheduling:\n  profile: sjf\n");

        Assert.Same(BuiltInProfiles.ShortestJobFirst, result.Scheduling!.Profile);
    }

    /// <summary>case, text replaced in <see cref="Green"/>, its replacement, text on the expected line, field, value, a fragment of what is allowed.</summary>
    public static TheoryData<string, string, string, string, string, string, string> Cases => new()
    {
        { "unknown score", "{carbon: 3,", "{carbonn: 3,", "carbonn", "scheduling.profiles.green.scores.carbonn", "carbonn", "one of packing, energy-price, carbon, data-locality" },
        { "negative weight", "carbon: 3", "carbon: -1", "carbon: -1", "scheduling.profiles.green.scores.carbon", "-1", "a number from 0 to 1000" },
        { "weight not a number", "carbon: 3", "carbon: lots", "carbon: lots", "scheduling.profiles.green.scores.carbon", "lots", "a number from 0 to 1000" },
        { "scores not a mapping", "scores: {carbon: 3, packing: 1}", "scores: [carbon]", "scores: [carbon]", "scheduling.profiles.green.scores", "(a list)", "a mapping of score name to weight" },
        { "unknown queue order", "base: serai", "base: serai\n      queue: lifo", "queue: lifo", "scheduling.profiles.green.queue", "lifo", "one of fifo, priority-fairshare, sjf" },
        { "unknown filter", "base: serai", "base: serai\n      filters: [quota, colour]", "filters: [quota, colour]", "scheduling.profiles.green.filters[1]", "colour", "quota" },
        { "unknown preemption", "preemption: off", "preemption: random", "preemption: random", "scheduling.profiles.strict.preemption", "random", "off, on (= priority-reclaim) or one of priority, priority-reclaim" },
        { "min gain above 1", "minGain: 0.2", "minGain: 2", "minGain: 2", "scheduling.profiles.green.deferral.minGain", "2", "a number from 0 to 1" },
        { "bad deferral", "deferral: {minGain: 0.2}", "deferral: sometimes", "deferral: sometimes", "scheduling.profiles.green.deferral", "sometimes", "off, on, or a mapping" },
        { "unknown deferral plugin", "{minGain: 0.2}", "{plugin: price}", "{plugin: price}", "scheduling.profiles.green.deferral.plugin", "price", "one of carbon" },
        { "horizon too long", "{minGain: 0.2}", "{horizonHours: 1000}", "{horizonHours: 1000}", "scheduling.profiles.green.deferral.horizonHours", "1000", "an integer from 1 to 168" },
        { "negative saving", "{minGain: 0.2}", "{minSavingKg: -1}", "{minSavingKg: -1}", "scheduling.profiles.green.deferral.minSavingKg", "-1", "a number from 0 to 1000000 (kg CO2" },
        { "saving not a number", "{minGain: 0.2}", "{minSavingKg: lots}", "{minSavingKg: lots}", "scheduling.profiles.green.deferral.minSavingKg", "lots", "a number from 0 to 1000000" },
        { "tolerance above 1", "{minGain: 0.2}", "{tolerance: 1.5}", "{tolerance: 1.5}", "scheduling.profiles.green.deferral.tolerance", "1.5", "a number from 0 to 1 (share of the best start's carbon" },
        { "minimum job too long", "{minGain: 0.2}", "{minJobHours: 200}", "{minJobHours: 200}", "scheduling.profiles.green.deferral.minJobHours", "200", "a number from 0 to 168 (hours" },
        { "longest wait negative", "{minGain: 0.2}", "{maxDelayShare: -0.1}", "{maxDelayShare: -0.1}", "scheduling.profiles.green.deferral.maxDelayShare", "-0.1", "a number from 0 to 100 (share of the job's estimated run time" },
        { "unknown deferral key", "{minGain: 0.2}", "{minGain: 0.2, minSaving: 3}", "{minGain: 0.2, minSaving: 3}", "scheduling.profiles.green.deferral.minSaving", "unknown key 'minSaving'", "minSavingKg, tolerance, minJobHours" },
        { "unknown base", "base: fifo", "base: greedy", "base: greedy", "scheduling.profiles.strict.base", "greedy", "fifo, priority-fairshare, serai, sjf, slurm, srtf, las, green" },
        { "unknown profile chosen", "profile: green", "profile: blue", "profile: blue", "scheduling.profile", "blue", "fifo, priority-fairshare, serai, sjf, slurm, srtf, las, green, strict" },
        { "a built-in name redefined", "    strict:", "    Serai:", "Serai:", "scheduling.profiles.Serai", "Serai", "not a built-in profile" },
        { "unknown profile key", "reservations: 0", "reservations: 0\n      colour: blue", "colour: blue", "scheduling.profiles.strict.colour", "unknown key 'colour'", "throttleFloor" },
        { "too many reservations", "reservations: 0", "reservations: 100", "reservations: 100", "scheduling.profiles.strict.reservations", "100", "an integer from 0 to 64" },
        { "throttle floor of zero", "reservations: 0", "throttleFloor: 0", "throttleFloor: 0", "scheduling.profiles.strict.throttleFloor", "0", "a number from 0.1 to 1" },
        { "unknown section key", "  profile: green", "  policy: green", "policy: green", "scheduling.policy", "unknown key 'policy'", "profile, profiles" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void One_broken_field_gives_one_error_naming_line_field_value_and_what_is_allowed(
        string caseName, string find, string replace, string lineMarker, string field, string value, string allowed)
    {
        var at = Green.IndexOf(find, StringComparison.Ordinal);
        Assert.True(at >= 0, $"{caseName}: '{find}' is not in the section");
        var text = BaseHub.Text + string.Concat(Green.AsSpan(0, at), replace, Green.AsSpan(at + find.Length));
        var result = HubConfigLoader.Load(text, "hub.yaml");

        Assert.Null(result.Hub);
        Assert.Null(result.Scheduling);
        var error = Assert.Single(result.Errors);
        Assert.True(error.Field == field, $"{caseName}: field {error.Field}, expected {field}; {error}");
        Assert.Equal(BaseHub.LineOf(text[BaseHub.Text.Length..], lineMarker) + BaseHub.LineOf(text, "scheduling:") - 1, error.Line);
        Assert.Contains(value, error.Value, StringComparison.Ordinal);
        Assert.Contains(allowed, error.Allowed, StringComparison.Ordinal);
        Assert.StartsWith($"hub.yaml:{error.Line}:{error.Column}: {field}: ", error.ToString(), StringComparison.Ordinal);
    }
}
