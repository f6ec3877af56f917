namespace Serai.Scheduling.Profiles;

/// <summary>
/// The <c>scheduling:</c> section of a hub config: the profile that runs, and the profiles the file defines beside the
/// built-in ones (which it may not redefine).
/// </summary>
public sealed record SchedulingConfig(SchedulerProfile Profile, IReadOnlyList<SchedulerProfile> Defined)
{
    /// <summary>A hub config without the section: the <c>serai</c> profile, the built-ins only.</summary>
    public static SchedulingConfig Default { get; } = new(BuiltInProfiles.Serai, []);

    /// <summary>The built-in profiles, then those the file defines.</summary>
    public IEnumerable<SchedulerProfile> All => BuiltInProfiles.All.Concat(Defined);

    public string Names => string.Join(", ", All.Select(p => p.Name));

    /// <summary>A built-in or defined profile by name, ignoring case.</summary>
    public SchedulerProfile? ByName(string name) =>
        All.FirstOrDefault(p => string.Equals(p.Name, name.Trim(), StringComparison.OrdinalIgnoreCase));
}
