using System.Text.Json;
using System.Text.Json.Serialization;

namespace Serai.Simulation.Workloads;

/// <summary>
/// How trace attributes become hub concepts: tenant keys (ITP cluster, Philly VC, Alibaba QoS) to hub tenants, GPU
/// types to accelerator models, and seeded shares of jobs that are deferrable, checkpointable, portable across
/// stacks, and of each priority class. Loaded from a JSON file or built from flags.
/// </summary>
public sealed record TraceMapping
{
    /// <summary>Trace tenant key → hub tenant name; keys not listed go to hub tenants in turn (reported).</summary>
    public Dictionary<string, string> Tenants { get; init; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Trace GPU type → accelerator model; "any" or unlisted = any model that runs the job's stacks.</summary>
    public Dictionary<string, string> Accelerators { get; init; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>
    /// Throughput relative to the reference GPU (<c>--reference-gpu</c>) by accelerator model, overriding the ratio of
    /// the catalogue's BF16 TFLOPS, e.g. {"Ascend-910B": 0.3}.
    /// </summary>
    public Dictionary<string, double> Throughput { get; init; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Share of jobs per stack set, e.g. {"cuda": 0.8, "cuda,rocm": 0.2}. Empty: every stack of the hub.</summary>
    public Dictionary<string, double> Stacks { get; init; } = [];

    /// <summary>Share of jobs per priority class, e.g. {"normal": 0.9, "low": 0.1}.</summary>
    public Dictionary<string, double> PriorityMix { get; init; } = new() { ["normal"] = 1.0 };

    /// <summary>Alibaba QoS → priority class, applied before <see cref="PriorityMix"/>.</summary>
    public Dictionary<string, string> QosPriority { get; init; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Share of jobs that may be deferred. 0 by default: no public trace says which jobs may wait.</summary>
    public double DeferrableShare { get; init; }
    public double CheckpointableShare { get; init; } = 0.5;
    public double DeadlineSlackHours { get; init; } = 24;
    public double PowerFraction { get; init; } = 0.8;

    /// <summary>Estimated duration = true duration × (1 + U(0, this)); 0 means durations are known exactly.</summary>
    public double EstimateOverrun { get; init; }

    public int Seed { get; init; } = 42;

    private static readonly JsonSerializerOptions Json = new()
    {
        PropertyNameCaseInsensitive = true,
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
    };

    public static TraceMapping Load(string file)
    {
        try
        {
            var mapping = JsonSerializer.Deserialize<TraceMapping>(File.ReadAllText(file), Json) ?? new TraceMapping();
            return (mapping with
            {
                Tenants = new(mapping.Tenants, StringComparer.OrdinalIgnoreCase),
                Accelerators = new(mapping.Accelerators, StringComparer.OrdinalIgnoreCase),
                QosPriority = new(mapping.QosPriority, StringComparer.OrdinalIgnoreCase),
                Throughput = new(mapping.Throughput, StringComparer.OrdinalIgnoreCase),
            }).Validated(file);
        }
        catch (JsonException e)
        {
            throw new ArgumentException($"{file}:{(e.LineNumber ?? 0) + 1}: {e.Message}", e);
        }
    }

    public TraceMapping Validated(string source)
    {
        void Share(string name, double value)
        {
            if (value is < 0 or > 1 || double.IsNaN(value))
            {
                throw new ArgumentException($"{source}: {name} is {value}; allowed 0..1");
            }
        }
        Share("deferrableShare", DeferrableShare);
        Share("checkpointableShare", CheckpointableShare);
        if (PowerFraction is <= 0 or > 1)
        {
            throw new ArgumentException($"{source}: powerFraction is {PowerFraction}; allowed (0, 1]");
        }
        foreach (var (name, weight) in PriorityMix.Concat(Stacks))
        {
            if (weight < 0 || double.IsNaN(weight))
            {
                throw new ArgumentException($"{source}: weight of '{name}' is {weight}; weights must be ≥ 0");
            }
        }
        return this;
    }
}
