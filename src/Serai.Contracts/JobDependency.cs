using System.Globalization;

namespace Serai.Contracts;

/// <summary>How a job waits for others (as sbatch's --dependency): after they succeed, end at all, or fail; or one at a time by name.</summary>
public enum DependencyKind
{
    AfterOk,
    AfterAny,
    AfterNotOk,
    Singleton,
}

/// <summary>`afterok:12:13`, `afterany:12`, `afternotok:12`, `singleton`: parsed once at submission.</summary>
public sealed record JobDependency(DependencyKind Kind, IReadOnlyList<long> JobIds)
{
    public const string Formats = "afterok:ID[:ID...], afterany:ID[:ID...], afternotok:ID[:ID...] or singleton";

    public static (JobDependency? Dependency, string? Error) Parse(string text)
    {
        var parts = text.Trim().Split(':');
        var kind = parts[0].ToLowerInvariant() switch
        {
            "afterok" => DependencyKind.AfterOk,
            "afterany" => DependencyKind.AfterAny,
            "afternotok" => DependencyKind.AfterNotOk,
            "singleton" => DependencyKind.Singleton,
            _ => (DependencyKind?)null,
        };
        if (kind is null)
        {
            return (null, $"'{text}' is not a dependency; allowed: {Formats}");
        }
        if (kind == DependencyKind.Singleton)
        {
            return parts.Length == 1 ? (new JobDependency(DependencyKind.Singleton, []), null) : (null, $"'{text}': singleton takes no job ids");
        }
        var ids = new List<long>();
        foreach (var part in parts.Skip(1))
        {
            if (!long.TryParse(part, NumberStyles.None, CultureInfo.InvariantCulture, out var id) || id < 1)
            {
                return (null, $"'{text}': '{part}' is not a job id; allowed: {Formats}");
            }
            ids.Add(id);
        }
        return ids.Count is 0 or > 1000 ? (null, $"'{text}' names {ids.Count} jobs; give 1 to 1000 ids: {Formats}") : (new JobDependency(kind.Value, ids), null);
    }

    /// <summary>Whether a dependency that ended in <paramref name="state"/> lets the job run; null while it has not ended.</summary>
    public bool? SatisfiedBy(string state) => !JobStates.IsTerminal(state) ? null : Kind switch
    {
        DependencyKind.AfterOk => state == JobStates.Succeeded,
        DependencyKind.AfterNotOk => state != JobStates.Succeeded,
        _ => true,
    };
}
