using Serai.Config.Reading;
using Serai.Scheduling.Plugins;
using Serai.Scheduling.Profiles;
using YamlDotNet.RepresentationModel;

namespace Serai.Config.Sections;

/// <summary>
/// <c>scheduling:</c> which profile runs (<c>profile:</c>, default <c>serai</c>) and profiles of the file's own
/// (<c>profiles:</c>), each a built-in or earlier profile (<c>base:</c>) with plugins and weights changed. Plugin names
/// are checked against the built-in registry.
/// </summary>
internal static class SchedulingSection
{
    private static readonly string[] Keys = ["profile", "profiles"];
    private static readonly string[] ProfileKeys =
        ["base", "queue", "strictOrder", "filters", "scores", "reservations", "preemption", "deferral", "throttleFloor"];
    private static readonly string[] DeferralKeys = ["plugin", "minGain", "horizonHours", "minSavingKg", "tolerance", "minJobHours", "maxDelayShare"];
    private static readonly string[] Off = ["off", "false", "no"];
    private static readonly string[] On = ["on", "true", "yes"];

    /// <summary>What <c>preemption: on</c> means: the plugin the built-in profiles use.</summary>
    private const string DefaultPreemption = "priority-reclaim";

    private static PluginRegistry Registry => PluginRegistry.BuiltIn;

    public static SchedulingConfig? Read(MapReader root)
    {
        if (root.Get("scheduling") is not { } node)
        {
            return SchedulingConfig.Default;
        }
        var map = MapReader.Open(node, "scheduling", root.Errors, Keys);
        if (map is null)
        {
            return null;
        }
        var errors = map.Errors.Count;
        var (defined, named) = Profiles(map);
        var config = new SchedulingConfig(BuiltInProfiles.Serai, defined);
        if (map.Text("profile", required: false) is { } name)
        {
            if (config.ByName(name) is { } chosen)
            {
                config = config with { Profile = chosen };
            }
            else if (!named.Contains(name, StringComparer.OrdinalIgnoreCase))
            {
                // A profile of the file that has errors of its own is not reported twice.
                map.Errors.Add(map.Get("profile")!, map.Field("profile"), name, $"a built-in profile or one under profiles: {config.Names}");
            }
        }
        return map.Errors.Count > errors ? null : config;
    }

    /// <summary>The profiles read without error, and every name the file defines (for messages).</summary>
    private static (List<SchedulerProfile> Defined, List<string> Named) Profiles(MapReader map)
    {
        var defined = new List<SchedulerProfile>();
        var named = new List<string>();
        if (map.Get("profiles") is not { } node)
        {
            return (defined, named);
        }
        if (node is not YamlMappingNode mapping)
        {
            map.Errors.Add(node, map.Field("profiles"), ErrorSink.Show(node), "a mapping of profile name to {base, queue, filters, scores, ...}");
            return (defined, named);
        }
        foreach (var (key, value) in mapping.Children)
        {
            var name = (key as YamlScalarNode)?.Value ?? "";
            var field = $"{map.Field("profiles")}.{name}";
            if (!Names.IsName(name) || BuiltInProfiles.ByName(name) is not null || named.Any(n => Same(n, name)))
            {
                map.Errors.Add(key, field, name.Length == 0 ? "(empty)" : name,
                    $"{Names.NameAllowed}, not a built-in profile ({BuiltInProfiles.Names}) nor one defined above");
                continue;
            }
            named.Add(name);
            if (MapReader.Open(value, field, map.Errors, ProfileKeys) is { } reader && Profile(reader, name, defined) is { } profile)
            {
                defined.Add(profile);
            }
        }
        return (defined, named);
    }

    private static SchedulerProfile? Profile(MapReader map, string name, List<SchedulerProfile> defined)
    {
        var errors = map.Errors.Count;
        var start = Base(map, defined);
        if (start is null)
        {
            return null;
        }
        var profile = start with { Name = name };
        if (map.Text("queue", required: false) is { } queue)
        {
            profile = profile with { QueueOrder = PluginName(map, "queue", queue, ExtensionPoint.QueueOrder) ?? profile.QueueOrder };
        }
        profile = profile with
        {
            StrictOrder = map.Bool("strictOrder", profile.StrictOrder) ?? profile.StrictOrder,
            ReservationDepth = map.Integer("reservations", 0, ProfileLimits.MaxReservationDepth, profile.ReservationDepth) ?? profile.ReservationDepth,
            ThrottleFloor = map.Number("throttleFloor", NumberRule.Between(ProfileLimits.MinThrottleFloor, 1, "fraction of TDP"), profile.ThrottleFloor) ?? profile.ThrottleFloor,
            Filters = Filters(map) ?? profile.Filters,
            Scores = Scores(map, profile.Scores),
            Preemption = Preemption(map, profile.Preemption),
            Deferral = Deferral(map, profile.Deferral),
        };
        if (map.Errors.Count > errors)
        {
            return null;
        }
        foreach (var problem in Registry.Check(profile))
        {
            map.Errors.Add(map.Node, map.Field(problem.Field), problem.Value, problem.Allowed);
        }
        return map.Errors.Count > errors ? null : profile;
    }

    private static SchedulerProfile? Base(MapReader map, List<SchedulerProfile> defined)
    {
        if (map.Text("base", required: false) is not { } name)
        {
            return BuiltInProfiles.Serai;
        }
        if ((BuiltInProfiles.ByName(name) ?? defined.FirstOrDefault(p => Same(p.Name, name))) is { } found)
        {
            return found;
        }
        var allowed = string.Join(", ", BuiltInProfiles.All.Concat(defined).Select(p => p.Name));
        map.Errors.Add(map.Get("base")!, map.Field("base"), name, $"a built-in profile or one defined above: {allowed}");
        return null;
    }

    private static string? PluginName(MapReader map, string key, string value, ExtensionPoint point, YamlNode? node = null, string? field = null)
    {
        if (Registry.Resolve(point, value) is { } name)
        {
            return name;
        }
        map.Errors.Add(node ?? map.Get(key)!, field ?? map.Field(key), value, $"one of {Registry.Allowed(point)}");
        return null;
    }

    /// <summary>Optional filters; the safety filters run whatever the list says, so naming one changes nothing.</summary>
    private static List<string>? Filters(MapReader map)
    {
        if (!map.Has("filters"))
        {
            return null;
        }
        var items = map.Texts("filters", $"filter names: {Registry.Allowed(ExtensionPoint.Filter)}");
        var names = items?.Select(i => PluginName(map, "filters", i.Value, ExtensionPoint.Filter, i.Node, i.Field)).ToList();
        return names is null || names.Any(n => n is null) ? null : [.. names.OfType<string>().Except(Registry.SafetyFilters).Distinct()];
    }

    /// <summary>Weights given override the base profile's; the others stay.</summary>
    private static IReadOnlyDictionary<string, double> Scores(MapReader map, IReadOnlyDictionary<string, double> start)
    {
        if (map.Get("scores") is not { } node)
        {
            return start;
        }
        if (node is not YamlMappingNode mapping)
        {
            map.Errors.Add(node, map.Field("scores"), ErrorSink.Show(node), $"a mapping of score name to weight, e.g. {{carbon: 3, packing: 1}}; scores: {Registry.Allowed(ExtensionPoint.Score)}");
            return start;
        }
        var scores = new Dictionary<string, double>(start, StringComparer.Ordinal);
        var rule = NumberRule.Between(0, ProfileLimits.MaxWeight, "0 leaves the score out");
        foreach (var (key, value) in mapping.Children)
        {
            var text = (key as YamlScalarNode)?.Value ?? "";
            var field = $"{map.Field("scores")}.{text}";
            var name = PluginName(map, "scores", text.Length == 0 ? "(empty)" : text, ExtensionPoint.Score, key, field);
            if (map.Number(value, field, rule) is { } weight && name is not null)
            {
                scores[name] = weight;
            }
        }
        return scores;
    }

    private static string? Preemption(MapReader map, string? start)
    {
        if (map.Text("preemption", required: false, PreemptionAllowed) is not { } text)
        {
            return start;
        }
        if (Off.Contains(text, StringComparer.OrdinalIgnoreCase))
        {
            return null;
        }
        if (On.Contains(text, StringComparer.OrdinalIgnoreCase))
        {
            return DefaultPreemption;
        }
        if (Registry.Resolve(ExtensionPoint.Preemption, text) is { } name)
        {
            return name;
        }
        map.Errors.Add(map.Get("preemption")!, map.Field("preemption"), text, PreemptionAllowed);
        return start;
    }

    private static string PreemptionAllowed => $"off, on (= {DefaultPreemption}) or one of {Registry.Allowed(ExtensionPoint.Preemption)}";

    /// <summary><c>off</c>, <c>on</c> (the base's settings, or the defaults), or a mapping that changes some settings.</summary>
    private static DeferralSettings? Deferral(MapReader map, DeferralSettings? start)
    {
        const string Allowed = "off, on, or a mapping {plugin, minGain, horizonHours, minSavingKg, tolerance, minJobHours, maxDelayShare}";
        if (map.Get("deferral") is not { } node)
        {
            return start;
        }
        if (node is YamlScalarNode { Value: { } text })
        {
            if (Off.Contains(text, StringComparer.OrdinalIgnoreCase))
            {
                return null;
            }
            if (On.Contains(text, StringComparer.OrdinalIgnoreCase))
            {
                return start ?? new DeferralSettings();
            }
        }
        if (node is not YamlMappingNode)
        {
            map.Errors.Add(node, map.Field("deferral"), ErrorSink.Show(node), Allowed);
            return start;
        }
        var settings = start ?? new DeferralSettings();
        var deferral = MapReader.Open(node, map.Field("deferral"), map.Errors, DeferralKeys)!;
        var plugin = deferral.Text("plugin", required: false) is { } p ? PluginName(deferral, "plugin", p, ExtensionPoint.Deferral) : settings.Plugin;
        var minGain = deferral.Number("minGain", NumberRule.Between(0, 1, "share by which a later hour must be cleaner"), settings.MinGain);
        var horizon = deferral.Integer("horizonHours", 1, ProfileLimits.MaxHorizonHours, settings.HorizonHours);
        var minSaving = deferral.Number("minSavingKg", NumberRule.Between(0, ProfileLimits.MaxMinSavingKg, "kg CO2 the job's own energy must save by waiting"), settings.MinSavingKg);
        var tolerance = deferral.Number("tolerance", NumberRule.Between(0, 1, "share of the best start's carbon within which the earliest start is taken"), settings.Tolerance);
        var minJobHours = deferral.Number("minJobHours", NumberRule.Between(0, ProfileLimits.MaxMinJobHours, "hours; jobs estimated shorter are never deferred"), settings.MinJobSeconds / 3600.0);
        // no bound unless the profile or its base sets one
        var maxDelay = deferral.Get("maxDelayShare") is null ? settings.MaxDelayShare
            : deferral.Number("maxDelayShare", NumberRule.Between(0, ProfileLimits.MaxDelayShare, "share of the job's estimated run time it may wait"));
        return new DeferralSettings(plugin ?? settings.Plugin, minGain ?? settings.MinGain, horizon ?? settings.HorizonHours)
        {
            MaxDelayShare = maxDelay ?? settings.MaxDelayShare,
            MinSavingKg = minSaving ?? settings.MinSavingKg,
            Tolerance = tolerance ?? settings.Tolerance,
            MinJobSeconds = minJobHours is { } h ? (long)Math.Round(h * 3600) : settings.MinJobSeconds,
        };
    }

    private static bool Same(string a, string b) => string.Equals(a, b, StringComparison.OrdinalIgnoreCase);
}
