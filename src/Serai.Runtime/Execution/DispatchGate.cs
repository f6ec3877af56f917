using Serai.Core.Jobs;
using Serai.Runtime.Lifecycle;

namespace Serai.Runtime.Execution;

/// <summary>
/// Keeps a job placed on GPUs that a stopping job still uses from being started there: the scheduler counts a
/// preempted job's GPUs free at once, but its processes may run until its backend confirms the stop.
/// </summary>
public sealed class DispatchGate
{
    private readonly Dictionary<(int Slot, int Attempt), (Placement Placement, StopCause Cause)> _stopping = [];
    private readonly List<int> _held = [];

    public int StoppingCount => _stopping.Count;
    public IReadOnlyList<int> Held => _held;

    public void AddStopping(int slot, int attempt, Placement placement, StopCause cause) => _stopping[(slot, attempt)] = (placement, cause);

    /// <summary>The stop of this attempt is confirmed (or its end seen); returns why it was stopped, if it was.</summary>
    public StopCause? RemoveStopping(int slot, int attempt) =>
        _stopping.Remove((slot, attempt), out var entry) ? entry.Cause : null;

    public StopCause? CauseOf(int slot, int attempt) => _stopping.TryGetValue((slot, attempt), out var e) ? e.Cause : null;

    public void SetCause(int slot, int attempt, StopCause cause)
    {
        if (_stopping.TryGetValue((slot, attempt), out var e))
        {
            _stopping[(slot, attempt)] = (e.Placement, cause);
        }
    }

    /// <summary>Whether any GPU of <paramref name="placement"/> is still used by a stopping attempt.</summary>
    public bool Blocks(Placement placement)
    {
        if (_stopping.Count == 0)
        {
            return false;
        }
        foreach (var (other, _) in _stopping.Values)
        {
            if (other.Pool != placement.Pool)
            {
                continue;
            }
            for (var i = 0; i < placement.Nodes.Length; i++)
            {
                for (var j = 0; j < other.Nodes.Length; j++)
                {
                    if (placement.Nodes[i] == other.Nodes[j] && (placement.GpuMasks[i] & other.GpuMasks[j]) != 0)
                    {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    public void Hold(int slot) => _held.Add(slot);

    public bool Unhold(int slot) => _held.Remove(slot);

    /// <summary>Takes the held jobs to try again (after a stop was confirmed).</summary>
    public List<int> TakeHeld()
    {
        var taken = new List<int>(_held);
        _held.Clear();
        return taken;
    }
}
