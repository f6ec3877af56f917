using Serai.Core.Jobs;
using Serai.Runtime.Execution;
using Serai.Runtime.Lifecycle;

namespace Serai.Simulation.Engine;

/// <summary>
/// The simulated backend: a started job completes when its work is done at its speed (slower when throttled);
/// a stopped job keeps the work up to its last checkpoint if it is checkpointable. Work is counted in seconds on
/// the trace's reference GPU: on an accelerator of relative speed s (<see cref="SpeedModel"/>) it advances s per second.
/// Answers at once.
/// </summary>
internal sealed class SimulatedBackend(Simulator sim, int jobs) : IRuntimeEffects
{
    private readonly double[] _workDoneSeconds = new double[jobs];
    private readonly long[] _progressSinceUnix = new long[jobs];
    private readonly float[] _speed = new float[jobs];
    private readonly int[] _token = new int[jobs];
    private readonly Queue<(bool Started, int Slot, int Attempt)> _confirmations = new();

    public long LostWorkGpuSeconds { get; private set; }

    /// <summary>Speed of a job running at <paramref name="powerFraction"/> of TDP when it asked for <paramref name="wanted"/>.</summary>
    public static double SpeedAt(double powerFraction, double wanted, double exponent)
    {
        if (powerFraction <= 0 || wanted <= 0 || powerFraction >= wanted)
        {
            return 1;
        }
        return Math.Max(0.05, Math.Pow(powerFraction / wanted, exponent));
    }

    public bool Dispatch(in JobDispatch dispatch)
    {
        var i = dispatch.Slot;
        _progressSinceUnix[i] = sim.NowUnix;
        SetSpeed(i, dispatch.Job.PowerFraction, dispatch.Job.Spec, dispatch.Job.Placement.Pool);
        return Confirm(true, i, dispatch.Attempt);
    }

    public bool Stop(in JobStop stop)
    {
        var i = stop.Slot;
        Progress(i);
        var done = _workDoneSeconds[i];
        var interval = sim.Options.CheckpointIntervalSeconds;
        var spec = sim.Workload.Jobs[i];
        var kept = spec.Checkpointable && interval > 0 ? Math.Floor(done / interval) * interval : 0;
        LostWorkGpuSeconds += (long)((done - kept) * spec.GpuShare);
        _workDoneSeconds[i] = kept;
        _token[i]++;
        return Confirm(false, i, stop.Attempt);
    }

    /// <summary>Hands the confirmations held back in this instant to the runtime (they may cause more); true if any.</summary>
    public bool DeliverConfirmations()
    {
        var any = false;
        while (_confirmations.TryPeek(out var c))
        {
            any = true;
            if (c.Started)
            {
                sim.Runtime.OnStarted(new JobId(c.Slot), c.Attempt, handle: null);
            }
            else
            {
                sim.Runtime.OnStopped(new JobId(c.Slot), c.Attempt);
            }
            _confirmations.Dequeue(); // handled: a failed journal write leaves it for the retry
        }
        return any;
    }

    private bool Confirm(bool started, int slot, int attempt)
    {
        if (!sim.Options.ConfirmAsynchronously)
        {
            return true;
        }
        _confirmations.Enqueue((started, slot, attempt));
        return false;
    }

    public void Throttle(in JobThrottle throttle)
    {
        var i = throttle.Slot;
        Progress(i);
        SetSpeed(i, throttle.PowerFraction, sim.Workload.Jobs[i], sim.Jobs.Pool[i]);
    }

    /// <summary>A completion event: the job ends unless it was throttled, preempted or failed since it was scheduled.</summary>
    public void Complete(SimEvent e)
    {
        var i = e.Subject;
        if (_token[i] != e.Token || sim.Jobs.Phase[i] != JobPhase.Running)
        {
            return;
        }
        sim.Runtime.OnEnded(new JobId(i), sim.Jobs.Attempt[i], JobEnd.Exited(0));
        _token[i]++; // only once the end is recorded: a refused journal write leaves the completion to retry
    }

    private void Progress(int i)
    {
        var now = sim.NowUnix;
        _workDoneSeconds[i] += _speed[i] * (now - _progressSinceUnix[i]);
        _progressSinceUnix[i] = now;
    }

    private void SetSpeed(int i, double powerFraction, JobSpec spec, int pool)
    {
        var fraction = powerFraction > 0 ? powerFraction : spec.PowerFraction;
        var accelerator = sim.Options.Speed.Relative(sim.Hub.Pools[pool].Accelerator, spec.Tenant);
        _speed[i] = (float)(SpeedAt(fraction, spec.PowerFraction, sim.Options.ThrottleSpeedExponent) * accelerator);
        _token[i]++;
        var remaining = Math.Max(0, sim.Workload.DurationSeconds[i] - _workDoneSeconds[i]);
        var seconds = Math.Max(1, (long)Math.Ceiling(remaining / _speed[i] - 1e-9));
        sim.PushCompletion(sim.NowUnix + seconds, i, _token[i]);
    }
}
