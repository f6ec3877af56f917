namespace Serai.Runtime.Timing;

/// <summary>Wake-up times of deferred jobs (slot, time), earliest first; stale entries are skipped by the caller.</summary>
public sealed class DeferralTimers
{
    private readonly PriorityQueue<(int Slot, long AtUnix), (long AtUnix, long Serial)> _heap = new();
    private long _serial;

    public long NextUnix => _heap.TryPeek(out var e, out _) ? e.AtUnix : long.MaxValue;

    public void Add(int slot, long atUnix) => _heap.Enqueue((slot, atUnix), (atUnix, _serial++));

    /// <summary>Takes the next timer due at or before <paramref name="nowUnix"/>.</summary>
    public bool TryTakeDue(long nowUnix, out int slot, out long atUnix)
    {
        if (_heap.TryPeek(out var e, out _) && e.AtUnix <= nowUnix)
        {
            _heap.Dequeue();
            (slot, atUnix) = e;
            return true;
        }
        slot = -1;
        atUnix = 0;
        return false;
    }
}
