using System.Globalization;

namespace Serai.Scheduling.Profiles;

/// <summary>
/// A scheduling profile: which plugin runs at each extension point, by name, with weights and settings. Safety filters
/// (stack and memory, gang shape, residency, pool open, capacity, power envelope) and the envelope controller run in
/// every profile; <see cref="Filters"/> adds optional ones. <see cref="Plugins.PluginRegistry.Assemble"/> turns a
/// profile into the plugins a cycle runs, and <see cref="Plugins.PluginRegistry.Check"/> says what is wrong with one.
/// </summary>
public sealed record SchedulerProfile(string Name)
{
    /// <summary>The queue-order plugin: <c>fifo</c>, <c>priority-fairshare</c>, <c>sjf</c>, <c>priority</c> or <c>least-attained</c>.</summary>
    public string QueueOrder { get; init; } = "priority-fairshare";

    /// <summary>The first job that cannot start blocks every later one (head-of-line blocking, no backfill).</summary>
    public bool StrictOrder { get; init; }

    /// <summary>Optional filter plugins beyond the safety filters (<c>quota</c>); listing a safety filter changes nothing.</summary>
    public IReadOnlyList<string> Filters { get; init; } = [];

    /// <summary>Score plugins by name with their weights (≥ 0; 0 leaves the score out). Each is normalised to 0..100.</summary>
    public IReadOnlyDictionary<string, double> Scores { get; init; } = ScoreMap(("packing", 1));

    /// <summary>EASY backfill: how many blocked jobs get a reservation that later jobs may not delay; 0 turns backfill off.</summary>
    public int ReservationDepth { get; init; }

    /// <summary>The preemption plugin (<c>priority</c>, <c>priority-reclaim</c>, <c>shortest-remaining</c>, <c>least-attained</c>), or null for none.</summary>
    public string? Preemption { get; init; }

    /// <summary>The deferral plugin and its settings, or null for none.</summary>
    public DeferralSettings? Deferral { get; init; }

    /// <summary>Minimum power fraction a running job may be throttled to before the envelope controller preempts.</summary>
    public double ThrottleFloor { get; init; } = 0.6;

    /// <summary>Whether blocked jobs get reservations that later, shorter jobs may use until they start.</summary>
    public bool Backfill => ReservationDepth > 0 && !StrictOrder;

    /// <summary>Whether the optional filter <paramref name="name"/> (e.g. <c>quota</c>) is on.</summary>
    public bool HasFilter(string name) => Filters.Contains(name, StringComparer.Ordinal);

    /// <summary>This profile with one score's weight set (added when the profile lacks it).</summary>
    public SchedulerProfile WithScore(string name, double weight)
    {
        var scores = new Dictionary<string, double>(Scores, StringComparer.Ordinal) { [name] = weight };
        return this with { Scores = scores };
    }

    /// <summary>A score map from pairs, for profiles written in code.</summary>
    public static IReadOnlyDictionary<string, double> ScoreMap(params (string Name, double Weight)[] weights) =>
        weights.ToDictionary(w => w.Name, w => w.Weight, StringComparer.Ordinal);

    /// <summary>One line: <c>queue fair share; filters quota; scores packing 1, carbon 3; preemption priority-reclaim; ...</c>.</summary>
    public string Describe()
    {
        var c = CultureInfo.InvariantCulture;
        var scores = string.Join(", ", Scores.Where(s => s.Value > 0).Select(s => string.Create(c, $"{s.Key} {s.Value:0.###}")));
        var deferral = Deferral is { } d
            ? string.Create(c, $"{d.Plugin} (min gain {d.MinGain:0.###}, {d.HorizonHours} h{(d.MaxDelayShare is { } x ? $", wait ≤ {x:0.###} × run" : "")})")
            : "off";
        return $"queue {QueueOrder}{(StrictOrder ? " (strict)" : "")}; filters {(Filters.Count == 0 ? "safety only" : string.Join(", ", Filters))}; "
            + $"scores {scores}; backfill {(Backfill ? $"{ReservationDepth} reservations" : "off")}; preemption {Preemption ?? "off"}; deferral {deferral}";
    }
}

/// <summary>
/// The deferral plugin of a profile and when waiting is worth it: how much cleaner the job's whole run must be later
/// (relative, <see cref="MinGain"/>, and absolute, <see cref="MinSavingKg"/>), within how many hours, how close to
/// the best start an earlier one may be and still be taken (<see cref="Tolerance"/>), and the shortest job deferred.
/// </summary>
public sealed record DeferralSettings(string Plugin = "carbon", double MinGain = 0.1, int HorizonHours = 24)
{
    /// <summary>kg of CO2 the job's own energy must save by waiting.</summary>
    public double MinSavingKg { get; init; } = 1;

    /// <summary>The earliest start whose run is within this share of the best one is taken.</summary>
    public double Tolerance { get; init; } = 0.02;

    /// <summary>Jobs estimated shorter than this are never deferred (waiting hours to save minutes of energy).</summary>
    public long MinJobSeconds { get; init; } = 3600;

    /// <summary>
    /// The longest wait as a share of the job's estimated run time, or null for none but the deadline and the horizon.
    /// Since a job's JCT is at least its run, a bound of x keeps each deferred job's JCT, and so the deferrable jobs'
    /// mean JCT, within 1 + x of what it would be without waiting (others' waits aside). The default, 1, lets no job
    /// wait longer than it runs: on a one-site hub with a deep midday dip, unbounded waits added 17–34 % to the
    /// deferrable jobs' mean JCT and this bound 1–3 %, keeping most of the saving (README, "Deferral on against off").
    /// </summary>
    public double? MaxDelayShare { get; init; } = 1;
}
