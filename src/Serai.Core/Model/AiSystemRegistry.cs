using System.Collections.Frozen;

namespace Serai.Core.Model;

/// <summary>
/// The AI-system registry at one moment: immutable, replaced as a whole when a system is registered or approved.
/// It lives beside the hub model, not in it: the hub model is fixed for a run, the registry changes while the hub
/// runs (the runtime holds the one in force, see <c>HubState.AiSystems</c>). A registered system keeps its index.
/// </summary>
public sealed class AiSystemRegistry
{
    private readonly FrozenDictionary<string, int> _indexById;

    public AiSystemRegistry(IReadOnlyList<AiSystem> systems)
    {
        Systems = [.. systems];
        for (var i = 0; i < Systems.Length; i++)
        {
            if (Systems[i].Index != i)
            {
                throw new ArgumentException($"AI system '{Systems[i].Id}' has index {Systems[i].Index}, expected {i}", nameof(systems));
            }
        }
        _indexById = Systems.ToFrozenDictionary(a => a.Id, a => a.Index, StringComparer.OrdinalIgnoreCase);
        if (_indexById.Count != Systems.Length)
        {
            throw new ArgumentException("AI system ids must be unique (case-insensitive)", nameof(systems));
        }
    }

    public static AiSystemRegistry Empty { get; } = new([]);

    public AiSystem[] Systems { get; }

    public int Count => Systems.Length;

    public AiSystem this[int index] => Systems[index];

    public int? IndexOf(string id) => _indexById.TryGetValue(id, out var i) ? i : null;

    /// <summary>True when every system of <paramref name="earlier"/> is here under the same index and id.</summary>
    public bool Extends(AiSystemRegistry earlier)
    {
        if (earlier.Count > Count)
        {
            return false;
        }
        for (var i = 0; i < earlier.Count; i++)
        {
            if (!string.Equals(earlier[i].Id, Systems[i].Id, StringComparison.OrdinalIgnoreCase) || earlier[i].OwnerTenant != Systems[i].OwnerTenant)
            {
                return false;
            }
        }
        return true;
    }
}
