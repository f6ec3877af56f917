using Serai.Runtime.Lifecycle;
using Serai.Scheduling;

namespace Serai.Runtime;

/// <summary>Watches the runtime without changing it: the simulator's metrics and safety checker, the server's samples.</summary>
public interface IRuntimeObserver
{
    /// <summary>Time moves from <paramref name="fromUnix"/> to <paramref name="toUnix"/>; nothing changes between.</summary>
    void OnAdvance(long fromUnix, long toUnix)
    {
    }

    void OnHour(long hourUnix)
    {
    }

    /// <summary>A job started holding GPUs (its slot in the book).</summary>
    void OnJobStarted(int slot, long nowUnix)
    {
    }

    void OnJobStopped(int slot, long nowUnix, StopCause cause)
    {
    }

    void OnJobPowerChanged(int slot, double oldGpuWatts, long nowUnix)
    {
    }

    void OnCycleApplied(CycleResult result, long nowUnix)
    {
    }
}
