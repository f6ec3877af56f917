namespace Serai.Simulation.Engine;

/// <summary>A priority queue of events ordered by <see cref="EventKey"/>; the serial is assigned on insertion.</summary>
public sealed class EventQueue
{
    private readonly PriorityQueue<SimEvent, EventKey> _heap = new();
    private long _serial;

    public int Count => _heap.Count;

    public SimEvent Push(long timeUnix, EventKind kind, int subject, int token = 0)
    {
        var e = new SimEvent(timeUnix, kind, _serial++, subject, token);
        _heap.Enqueue(e, new EventKey(timeUnix, kind, e.Serial));
        return e;
    }

    public bool TryPeek(out SimEvent next) => _heap.TryPeek(out next, out _);

    public SimEvent Pop() => _heap.Dequeue();
}
