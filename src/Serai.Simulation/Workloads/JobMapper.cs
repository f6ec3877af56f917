using Serai.Core.Jobs;
using Serai.Core.Model;
using Serai.Simulation.Traces;

namespace Serai.Simulation.Workloads;

/// <summary>
/// Turns trace jobs into hub jobs with a <see cref="TraceMapping"/>: resolves tenants and accelerators, rebases the
/// trace clock so the first submit falls at the simulation start, and draws the seeded per-job attributes.
/// </summary>
public sealed class JobMapper
{
    private readonly HubModel _hub;
    private readonly TraceMapping _mapping;
    private readonly (PriorityClass Class, double Weight)[] _priorities;
    private readonly (uint Mask, double Weight)[] _stacks;
    private readonly Dictionary<string, int> _tenantOf = new(StringComparer.OrdinalIgnoreCase);
    private readonly List<string> _notes = [];

    public JobMapper(HubModel hub, TraceMapping mapping)
    {
        _hub = hub;
        _mapping = mapping;
        _priorities = mapping.PriorityMix.OrderBy(p => p.Key, StringComparer.Ordinal)
            .Select(p => (ParsePriority(p.Key), p.Value)).ToArray();
        _stacks = mapping.Stacks.Count == 0
            ? [(AllStacks(hub), 1.0)]
            : mapping.Stacks.OrderBy(s => s.Key, StringComparer.Ordinal).Select(s => (StackMask(hub, s.Key), s.Value)).ToArray();
    }

    /// <summary>How unlisted keys were assigned, and other choices a reader of the report should know.</summary>
    public IReadOnlyList<string> Notes => _notes;

    public Workload Map(IReadOnlyList<TraceJob> trace, long startUnix)
    {
        var random = new Random(_mapping.Seed);
        var origin = trace.Count == 0 ? 0 : trace.Min(t => t.SubmitSeconds);
        var specs = new JobSpec[trace.Count];
        var durations = new long[trace.Count];
        var names = new string?[trace.Count];
        for (var i = 0; i < trace.Count; i++)
        {
            var t = trace[i];
            var tenant = TenantOf(t.TenantKey);
            var submit = startUnix + (t.SubmitSeconds - origin);
            var deferrable = random.NextDouble() < _mapping.DeferrableShare;
            var checkpointable = random.NextDouble() < _mapping.CheckpointableShare;
            var priority = PriorityOf(t, tenant, random);
            var stacks = Pick(_stacks, random);
            var overrun = _mapping.EstimateOverrun > 0 ? random.NextDouble() * _mapping.EstimateOverrun : 0;
            specs[i] = new JobSpec
            {
                Id = new JobId(i),
                Tenant = tenant,
                Gpus = t.Gpus,
                GpuMilli = t.Gpus == 1 && t.GpuMilli is > 0 and < Gpu.Milli ? t.GpuMilli : 0,
                StackMask = stacks,
                Accelerator = AcceleratorOf(t.GpuType),
                Priority = priority,
                SubmitUnix = submit,
                EstimatedSeconds = (long)Math.Ceiling(t.DurationSeconds * (1 + overrun)),
                DeadlineUnix = deferrable ? submit + t.DurationSeconds + (long)(_mapping.DeadlineSlackHours * 3600) : null,
                Deferrable = deferrable,
                Checkpointable = checkpointable,
                PowerFraction = _mapping.PowerFraction,
            };
            durations[i] = t.DurationSeconds;
            names[i] = t.Name;
        }
        AddMappingNotes(trace, specs);
        return Workload.Create(specs, durations, names);
    }

    /// <summary>
    /// Every mapping choice that changes what a job is, with its value: the trace says none of it, so a reader of the
    /// report must know it was drawn (deferrable and checkpointable shares, priority, stacks, datasets, power, estimates).
    /// </summary>
    private void AddMappingNotes(IReadOnlyList<TraceJob> trace, JobSpec[] specs)
    {
        var c = System.Globalization.CultureInfo.InvariantCulture;
        var n = Math.Max(1, specs.Length);
        var deferrable = specs.Count(s => s.Deferrable);
        _notes.Add(string.Create(c, $"mapping: deferrable share {_mapping.DeferrableShare:0.###} ({deferrable:N0} of {specs.Length:N0} jobs deferrable, deadline = submit + duration + {_mapping.DeadlineSlackHours:0.#} h){(_mapping.DeferrableShare == 0 ? "; the trace says nothing about flexibility" : "")}"));
        _notes.Add(string.Create(c, $"mapping: checkpointable share {_mapping.CheckpointableShare:0.###} ({specs.Count(s => s.Checkpointable):N0} jobs keep their work when stopped)"));
        var byPriority = specs.GroupBy(s => s.Priority).OrderByDescending(g => g.Key).Select(g => string.Create(c, $"{g.Key.Name()} {100.0 * g.Count() / n:0.#} %"));
        var source = _mapping.QosPriority.Count > 0 ? "QoS map, then the priority mix" : "priority mix";
        _notes.Add($"mapping: priority from the {source}: {string.Join(", ", byPriority)}");
        _notes.Add(_mapping.Stacks.Count == 0
            ? $"mapping: every job runs on every stack of the hub ({string.Join(", ", _hub.Stacks)})"
            : $"mapping: stacks drawn from {string.Join(", ", _mapping.Stacks.OrderBy(s => s.Key, StringComparer.Ordinal).Select(s => string.Create(c, $"{s.Key} {s.Value:0.###}")))}");
        _notes.Add(string.Create(c, $"mapping: no datasets (the trace names none): no residency rule binds; power {_mapping.PowerFraction:0.##} of TDP; estimates = true duration{(_mapping.EstimateOverrun > 0 ? string.Create(c, $" × (1 + U(0, {_mapping.EstimateOverrun:0.##}))") : " (known exactly)")}"));
        var fractional = trace.Count(t => t.GpuMilli is > 0 and < 1000);
        if (fractional > 0)
        {
            _notes.Add($"{fractional:N0} jobs ask for part of one GPU (gpu_milli < 1000); they share GPUs up to 1,000 thousandths each, packed best fit");
        }
    }

    private int TenantOf(string key)
    {
        if (_tenantOf.TryGetValue(key, out var index))
        {
            return index;
        }
        if (_mapping.Tenants.TryGetValue(key, out var name))
        {
            index = _hub.TenantIndex(name) ?? throw new ArgumentException(
                $"mapping sends trace tenant '{key}' to '{name}', which the hub does not have; tenants: {string.Join(", ", _hub.Tenants.Select(t => t.Name))}");
        }
        else
        {
            index = _hub.TenantIndex(key) ?? (_tenantOf.Count % _hub.Tenants.Length);
            if (!string.Equals(_hub.Tenants[index].Name, key, StringComparison.OrdinalIgnoreCase))
            {
                _notes.Add($"trace tenant '{key}' is not in the mapping: assigned to hub tenant '{_hub.Tenants[index].Name}'");
            }
        }
        _tenantOf[key] = index;
        return index;
    }

    private int AcceleratorOf(string? gpuType)
    {
        if (gpuType is null)
        {
            return -1;
        }
        if (!_mapping.Accelerators.TryGetValue(gpuType, out var model))
        {
            // a trace GPU type the hub itself has (a hub built from the trace's node list): the job asked for it
            return _hub.AcceleratorIndex(gpuType) ?? -1;
        }
        if (string.Equals(model, "any", StringComparison.OrdinalIgnoreCase))
        {
            return -1;
        }
        return _hub.AcceleratorIndex(model) ?? throw new ArgumentException(
            $"mapping sends GPU type '{gpuType}' to accelerator '{model}', which the hub does not have; models: {string.Join(", ", _hub.Accelerators.Select(a => a.Model))}");
    }

    private PriorityClass PriorityOf(TraceJob t, int tenant, Random random)
    {
        var wanted = t.Qos is { } q && _mapping.QosPriority.TryGetValue(q, out var name) ? ParsePriority(name) : Pick(_priorities, random);
        var allowed = _hub.Tenants[tenant];
        if (allowed.MayUse(wanted))
        {
            return wanted;
        }
        PriorityClass[] fallback = [PriorityClass.Normal, PriorityClass.Low, PriorityClass.Preemptible, PriorityClass.High, PriorityClass.Emergency];
        return fallback.FirstOrDefault(allowed.MayUse, PriorityClass.Normal);
    }

    private static T Pick<T>((T Value, double Weight)[] options, Random random)
    {
        var total = options.Sum(o => o.Weight);
        var x = random.NextDouble() * total;
        foreach (var (value, weight) in options)
        {
            if (x < weight)
            {
                return value;
            }
            x -= weight;
        }
        return options[^1].Value;
    }

    private static PriorityClass ParsePriority(string text) =>
        PriorityClasses.TryParse(text, out var p) ? p : throw new ArgumentException($"priority '{text}' is not known; allowed: {PriorityClasses.Allowed}");

    internal static uint AllStacks(HubModel hub) => hub.Stacks.Length >= 32 ? uint.MaxValue : (1u << hub.Stacks.Length) - 1;

    internal static uint StackMask(HubModel hub, string list)
    {
        uint mask = 0;
        foreach (var name in list.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var bit = hub.StackBit(name);
            if (bit < 0)
            {
                throw new ArgumentException($"stack '{name}' is not in the hub; stacks: {string.Join(", ", hub.Stacks)}");
            }
            mask |= 1u << bit;
        }
        return mask;
    }
}
