using System.Collections.Concurrent;
using System.Globalization;
using Serai.Contracts;
using Serai.Core.Jobs;
using Serai.Runtime;
using Serai.Runtime.Lifecycle;

namespace Serai.Server.Jobs;

/// <summary>
/// Keeps pending jobs out of the scheduler's sight while they may not run: held, waiting for their dependencies, over
/// their array's limit of tasks at once, or a singleton whose name already runs. Read on the control loop's thread
/// (each cycle); the reasons are read by the API. A dependency that can never be satisfied is reported through
/// <see cref="TakeDoomed"/> so that the loop cancels the job (as Slurm's kill_invalid_depend).
/// </summary>
public sealed class JobGate(IReadOnlyDictionary<long, JobRequest> requests, Func<long, string?> storedState) : IQueueGate
{
    private readonly Dictionary<long, int> _activeByArray = [];
    private readonly HashSet<(int Tenant, string Name)> _singletons = [];
    private readonly Dictionary<long, string> _endedStates = [];
    private readonly List<(long Job, string Reason)> _doomed = [];
    private readonly ConcurrentDictionary<long, string> _reasons = new();
    private HubRuntime? _runtime;

    /// <summary>Why a pending job is kept out of the scheduler's sight, or null.</summary>
    public string? Reason(long job) => _reasons.TryGetValue(job, out var reason) ? reason : null;

    public void BeginCycle(HubRuntime runtime)
    {
        _runtime = runtime;
        _activeByArray.Clear();
        _singletons.Clear();
        foreach (var (id, running) in runtime.State.Running)
        {
            if (requests.GetValueOrDefault(id.Value) is { } r)
            {
                if (r is { ArrayJobId: { } array, ArrayLimit: not null })
                {
                    _activeByArray[array] = _activeByArray.GetValueOrDefault(array) + 1;
                }
                if (r.Name is { } name)
                {
                    _singletons.Add((running.Spec.Tenant, name));
                }
            }
        }
    }

    public bool MayOffer(JobSpec spec)
    {
        var id = spec.Id.Value;
        if (requests.GetValueOrDefault(id) is not { } request)
        {
            return true;
        }
        var reason = Blocked(spec, request);
        if (reason is null)
        {
            _reasons.TryRemove(id, out _);
            return true;
        }
        _reasons[id] = reason;
        return false;
    }

    /// <summary>Jobs whose dependency can never be satisfied, found since the last call (the loop cancels them).</summary>
    public IReadOnlyList<(long Job, string Reason)> TakeDoomed()
    {
        if (_doomed.Count == 0)
        {
            return [];
        }
        var taken = _doomed.ToList();
        _doomed.Clear();
        return taken;
    }

    /// <summary>The job left the queue for good: its reason goes.</summary>
    public void Forget(long job) => _reasons.TryRemove(job, out _);

    private string? Blocked(JobSpec spec, JobRequest request)
    {
        if (request.Hold)
        {
            return "held: it waits until released (serai release ID)";
        }
        if (request.Dependency is { } text && JobDependency.Parse(text).Dependency is { } dependency)
        {
            if (dependency.Kind == DependencyKind.Singleton)
            {
                if (request.Name is { } name && !_singletons.Add((spec.Tenant, name)))
                {
                    return $"singleton: another job named '{name}' of this tenant runs first";
                }
            }
            else if (Dependency(dependency, request.DependencyIds ?? [.. dependency.JobIds], spec.Id.Value) is { } waiting)
            {
                return waiting;
            }
        }
        if (request is { ArrayJobId: { } array, ArrayLimit: { } limit })
        {
            var active = _activeByArray.GetValueOrDefault(array);
            if (active >= limit)
            {
                return string.Create(CultureInfo.InvariantCulture, $"array {array}: {active} of at most {limit} tasks run at once (%{limit})");
            }
            _activeByArray[array] = active + 1;
        }
        return null;
    }

    private string? Dependency(JobDependency dependency, IReadOnlyList<long> ids, long job)
    {
        var waiting = 0;
        foreach (var other in ids)
        {
            var state = StateOf(other);
            switch (state is null ? null : dependency.SatisfiedBy(state))
            {
                case null:
                    waiting++;
                    break;
                case false:
                    var reason = string.Create(CultureInfo.InvariantCulture,
                        $"its dependency {dependency.Kind.ToString().ToLowerInvariant()} can never be satisfied (job {other} {state})");
                    _doomed.Add((job, reason));
                    return reason;
            }
        }
        return waiting == 0 ? null : string.Create(CultureInfo.InvariantCulture,
            $"dependency {dependency.Kind.ToString().ToLowerInvariant()}: waiting for {waiting} of {ids.Count} job(s) to end");
    }

    /// <summary>The state of a job this one depends on: from the runtime's book, else (ended before this server started) the database.</summary>
    private string? StateOf(long id)
    {
        if (_runtime is { } runtime && runtime.Jobs.TryGetSlot(new JobId(id), out var slot))
        {
            var phase = runtime.Jobs.Phase[slot];
            return phase.IsFinal() ? JobPhaseStates.Of(phase) : JobStates.Pending;
        }
        if (_endedStates.TryGetValue(id, out var ended))
        {
            return ended;
        }
        var stored = storedState(id);
        if (stored is null || JobStates.IsTerminal(stored))
        {
            // a job that is gone counts as failed; ended states never change, so they are read once
            _endedStates[id] = stored ?? JobStates.Failed;
            return _endedStates[id];
        }
        return stored;
    }
}
