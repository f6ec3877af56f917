using System.Text.Json;
using System.Text.Json.Serialization;
using Serai.Simulation.Metrics;

namespace Serai.Simulation.Output;

/// <summary>summary.json: every run's summary (the first is the main policy) and how the runs compare.</summary>
public static class SummaryJson
{
    public static readonly JsonSerializerOptions Options = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    public static string Serialize(SimulationDocument document) => JsonSerializer.Serialize(document, Options);

    public static void Write(SimulationDocument document, string path) => File.WriteAllText(path, Serialize(document) + "\n");
}

/// <summary>What summary.json holds.</summary>
public sealed record SimulationDocument(string Command, int Seed, long StartUnix, IReadOnlyList<string> Traces, IReadOnlyList<string> Notes, SimulationSummary Main, IReadOnlyList<SimulationSummary> Compared);
