using System.Globalization;
using Serai.Scheduling.Profiles;

namespace Serai.Scheduling.Plugins;

/// <summary>Checks a profile against a registry: every name known at its extension point, every number in range.</summary>
internal static class ProfileCheck
{
    public static IReadOnlyList<ProfileProblem> Problems(PluginRegistry registry, SchedulerProfile profile)
    {
        var problems = new List<ProfileProblem>();
        void Name(ExtensionPoint point, string field, string? value)
        {
            if (value is null || !registry.Names(point).Contains(value, StringComparer.Ordinal))
            {
                problems.Add(new ProfileProblem(field, value ?? "(none)", $"one of {registry.Allowed(point)}"));
            }
        }
        Name(ExtensionPoint.QueueOrder, "queue", profile.QueueOrder);
        for (var i = 0; i < profile.Filters.Count; i++)
        {
            Name(ExtensionPoint.Filter, $"filters[{i}]", profile.Filters[i]);
        }
        foreach (var (name, weight) in profile.Scores)
        {
            Name(ExtensionPoint.Score, $"scores.{name}", name);
            if (!ProfileLimits.IsWeight(weight))
            {
                problems.Add(new ProfileProblem($"scores.{name}", Format(weight), ProfileLimits.WeightAllowed));
            }
        }
        if (profile.Preemption is not null)
        {
            Name(ExtensionPoint.Preemption, "preemption", profile.Preemption);
        }
        if (profile.Deferral is { } deferral)
        {
            Name(ExtensionPoint.Deferral, "deferral.plugin", deferral.Plugin);
            if (!ProfileLimits.IsMinGain(deferral.MinGain))
            {
                problems.Add(new ProfileProblem("deferral.minGain", Format(deferral.MinGain), ProfileLimits.MinGainAllowed));
            }
            if (!ProfileLimits.IsHorizon(deferral.HorizonHours))
            {
                problems.Add(new ProfileProblem("deferral.horizonHours", Format(deferral.HorizonHours), ProfileLimits.HorizonAllowed));
            }
            if (deferral.MaxDelayShare is { } share && !ProfileLimits.IsMaxDelayShare(share))
            {
                problems.Add(new ProfileProblem("deferral.maxDelayShare", Format(share), ProfileLimits.MaxDelayShareAllowed));
            }
        }
        if (!ProfileLimits.IsReservationDepth(profile.ReservationDepth))
        {
            problems.Add(new ProfileProblem("reservations", Format(profile.ReservationDepth), ProfileLimits.ReservationsAllowed));
        }
        if (!ProfileLimits.IsThrottleFloor(profile.ThrottleFloor))
        {
            problems.Add(new ProfileProblem("throttleFloor", Format(profile.ThrottleFloor), ProfileLimits.ThrottleFloorAllowed));
        }
        return problems;
    }

    private static string Format(double value) => value.ToString("0.######", CultureInfo.InvariantCulture);
}
