namespace Serai.Simulation.Engine;

/// <summary>
/// One event: when, what kind, and its subject (<see cref="Subject"/> is a job index or a scenario step index;
/// <see cref="Token"/> tells a completion that is still current from one made stale by a throttle or preemption).
/// </summary>
public readonly record struct SimEvent(long TimeUnix, EventKind Kind, long Serial, int Subject, int Token);

/// <summary>Orders events by (time, kind, insertion serial): a run is deterministic.</summary>
public readonly record struct EventKey(long TimeUnix, EventKind Kind, long Serial) : IComparable<EventKey>
{
    public int CompareTo(EventKey other)
    {
        var c = TimeUnix.CompareTo(other.TimeUnix);
        if (c != 0)
        {
            return c;
        }
        c = ((byte)Kind).CompareTo((byte)other.Kind);
        return c != 0 ? c : Serial.CompareTo(other.Serial);
    }

    public static bool operator <(EventKey a, EventKey b) => a.CompareTo(b) < 0;
    public static bool operator >(EventKey a, EventKey b) => a.CompareTo(b) > 0;
    public static bool operator <=(EventKey a, EventKey b) => a.CompareTo(b) <= 0;
    public static bool operator >=(EventKey a, EventKey b) => a.CompareTo(b) >= 0;
}
