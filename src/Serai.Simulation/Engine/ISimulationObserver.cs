using Serai.Runtime.Lifecycle;
using Serai.Scheduling;

namespace Serai.Simulation.Engine;

/// <summary>Watches a run without changing it: metrics, the safety checker, progress.</summary>
public interface ISimulationObserver
{
    /// <summary>Simulated time moves from <paramref name="fromUnix"/> to <paramref name="toUnix"/>; nothing changes between.</summary>
    void OnAdvance(Simulator sim, long fromUnix, long toUnix)
    {
    }

    void OnHour(Simulator sim, long hourUnix)
    {
    }

    void OnJobStarted(Simulator sim, int job, long nowUnix)
    {
    }

    void OnJobStopped(Simulator sim, int job, long nowUnix, StopCause cause)
    {
    }

    void OnJobPowerChanged(Simulator sim, int job, double oldGpuWatts, long nowUnix)
    {
    }

    void OnCycleApplied(Simulator sim, CycleResult result, long nowUnix)
    {
    }

    /// <summary>Every event and the cycle at this timestamp have been handled; the state holds until the next one.</summary>
    void OnTimestampDone(Simulator sim, long nowUnix)
    {
    }

    void OnFinished(Simulator sim)
    {
    }
}
