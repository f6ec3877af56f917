namespace Serai.Runtime.Timing;

/// <summary>
/// Decides whether an instant gets a scheduling cycle: something changed that could change a decision, and with a
/// cycle interval, the instant is a multiple of it (or an emergency arrived); otherwise the change is held for the
/// next multiple, which becomes a timer.
/// </summary>
public sealed class CycleTrigger(long intervalSeconds)
{
    private bool _heldDirty;
    private bool _heldEnvelope;

    /// <summary>Something changed that can change a decision (an arrival, a release, a wake-up).</summary>
    public bool Dirty { get; private set; }

    /// <summary>The envelope moved (hour, override, failure): running jobs may need throttling even with an empty queue.</summary>
    public bool EnvelopeChanged { get; private set; }

    /// <summary>An emergency arrived: no waiting for the next interval.</summary>
    public bool Urgent { get; private set; }

    /// <summary>When a held cycle is due, or long.MaxValue.</summary>
    public long DueUnix { get; private set; } = long.MaxValue;

    public void MarkDirty() => Dirty = true;

    public void MarkEnvelope()
    {
        Dirty = true;
        EnvelopeChanged = true;
    }

    public void MarkUrgent()
    {
        Dirty = true;
        Urgent = true;
    }

    /// <summary>True when the cycle of this instant is held for the next interval.</summary>
    public bool Hold(long nowUnix)
    {
        if (nowUnix >= DueUnix)
        {
            DueUnix = long.MaxValue;
        }
        if (intervalSeconds <= 0)
        {
            return false;
        }
        if (nowUnix % intervalSeconds == 0 || Urgent)
        {
            Dirty |= _heldDirty;
            EnvelopeChanged |= _heldEnvelope;
            _heldDirty = _heldEnvelope = false;
            return false;
        }
        if (!Dirty)
        {
            return false;
        }
        _heldDirty = true;
        _heldEnvelope |= EnvelopeChanged;
        DueUnix = (nowUnix / intervalSeconds + 1) * intervalSeconds;
        return true;
    }

    /// <summary>The instant is done: what it saw has been acted on.</summary>
    public void Reset() => Dirty = EnvelopeChanged = Urgent = false;
}
