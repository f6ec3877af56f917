namespace Serai.Scheduling.Backfill;

/// <summary>
/// The union of the node sets of the reservations a job must not delay, without copying them: membership asks each
/// set in turn (there are at most a few). One instance is reused through a cycle.
/// </summary>
internal sealed class ReservedNodes
{
    private readonly List<IReadOnlySet<int>> _sets = [];

    public ReservedNodes()
    {
        Contains = node =>
        {
            foreach (var set in _sets)
            {
                if (set.Contains(node))
                {
                    return true;
                }
            }
            return false;
        };
    }

    /// <summary>True when the node is held by one of the reservations.</summary>
    public Predicate<int> Contains { get; }

    public ReservedNodes Reset()
    {
        _sets.Clear();
        return this;
    }

    public void Add(IReadOnlySet<int> nodes) => _sets.Add(nodes);
}
