using Serai.Core.Model;
using Serai.Simulation.Hubs;

namespace Serai.Simulation.Engine;

/// <summary>
/// How fast a job runs on each accelerator, relative to the trace's reference GPU (the one its durations were
/// measured on), as Gavel and Sia model throughput: by default the ratio of dense BF16 TFLOPS from the catalogue
/// (<see cref="Accelerator.Bf16Tflops"/>), or a given figure per model. A job needing D seconds on the reference
/// runs D / speed seconds on an accelerator, drawing its power all that time. Without a reference every
/// accelerator runs at the reference speed (the model is off). A hub file's <c>workloadClasses:</c> give figures per
/// class of work (by tenant) that override both for the models they name.
/// </summary>
public sealed record SpeedModel
{
    /// <summary>Every accelerator as fast as the reference: the model off.</summary>
    public static SpeedModel Off { get; } = new();

    /// <summary>The GPU the trace's durations were measured on; null turns the model off.</summary>
    public string? ReferenceModel { get; init; }

    /// <summary>Throughput relative to the reference by accelerator model, overriding the TFLOPS ratio.</summary>
    public IReadOnlyDictionary<string, double> Overrides { get; init; } = new Dictionary<string, double>(StringComparer.OrdinalIgnoreCase);

    /// <summary>The model with <paramref name="reference"/> as the reference GPU; its TFLOPS must be known.</summary>
    public static SpeedModel RelativeTo(string reference, IReadOnlyDictionary<string, double>? overrides = null)
    {
        var spec = TraceAccelerators.Find(reference) ?? throw new ArgumentException(
            $"--reference-gpu '{reference}' is not a known accelerator; known: {string.Join(", ", Core.Catalogue.AcceleratorCatalogue.All.Concat(TraceAccelerators.All).Select(a => a.Model))}");
        foreach (var (model, value) in overrides ?? new Dictionary<string, double>())
        {
            if (value is <= 0 or > 100 || double.IsNaN(value))
            {
                throw new ArgumentException($"throughput of '{model}' is {value}; allowed: above 0, at most 100 (relative to {spec.Model})");
            }
        }
        return new SpeedModel
        {
            ReferenceModel = spec.Model,
            ReferenceTflops = spec.Bf16Tflops,
            Overrides = new Dictionary<string, double>(overrides ?? new Dictionary<string, double>(), StringComparer.OrdinalIgnoreCase),
        };
    }

    private double ReferenceTflops { get; init; }

    /// <summary>Throughput by accelerator model for the jobs of a tenant, from its workload class.</summary>
    public IReadOnlyDictionary<int, IReadOnlyDictionary<string, double>> ByTenant { get; init; } = new Dictionary<int, IReadOnlyDictionary<string, double>>();

    /// <summary>This model with the hub file's workload classes (validated there) overriding it for their tenants' jobs.</summary>
    public SpeedModel WithClasses(IReadOnlyList<Config.WorkloadClass> classes) =>
        this with { ByTenant = classes.SelectMany(c => c.Tenants.Select(t => (t, c.Throughput))).ToDictionary(x => x.t, x => x.Throughput) };

    /// <summary>As <see cref="Relative(Accelerator)"/> for a job of <paramref name="tenant"/>: its workload class's figure first.</summary>
    public double Relative(Accelerator accelerator, int tenant) =>
        ReferenceModel is not null && ByTenant.TryGetValue(tenant, out var figures) && figures.TryGetValue(accelerator.Model, out var given)
            ? given
            : Relative(accelerator);

    /// <summary>Work per second on <paramref name="accelerator"/> in reference seconds (1 = as fast as the reference).</summary>
    public double Relative(Accelerator accelerator)
    {
        if (ReferenceModel is null)
        {
            return 1;
        }
        if (Overrides.TryGetValue(accelerator.Model, out var given))
        {
            return given;
        }
        return ReferenceTflops > 0 && accelerator.Bf16Tflops > 0 ? accelerator.Bf16Tflops / ReferenceTflops : 1;
    }
}
