using Serai.Core.Model;

namespace Serai.Config.Samples;

/// <summary>
/// The sample region, hubs/central-asia.yaml, built into this assembly so it loads from any directory: whole, or
/// scaled to a GPU count by <see cref="HubScaler"/> for the simulator's <c>central-asia[:GPUS]</c> hub.
/// </summary>
public static class SampleRegion
{
    public const string CentralAsiaName = "central-asia";

    /// <summary>The size of <c>central-asia</c> when no GPU count is given.</summary>
    public const int DefaultGpus = 4096;

    private const string CentralAsiaResource = "hubs/central-asia.yaml";

    private static readonly Lazy<HubModel> Loaded = new(() => Load(CentralAsiaResource));

    /// <summary>hubs/central-asia.yaml as written (28,016 GPUs).</summary>
    public static HubModel CentralAsia() => Loaded.Value;

    /// <summary>hubs/central-asia.yaml scaled to about <paramref name="totalGpus"/> GPUs (at least 8).</summary>
    public static HubModel CentralAsia(int totalGpus) => HubScaler.Scale(CentralAsia(), totalGpus);

    /// <summary>The YAML text as built in.</summary>
    internal static string CentralAsiaYaml() => ReadResource(CentralAsiaResource);

    private static HubModel Load(string resource)
    {
        var result = HubConfigLoader.Load(ReadResource(resource), $"{resource} (built in)");
        // The file is checked by the tests; a failure here means the build embedded a broken file.
        return result.Hub ?? throw new InvalidOperationException(
            $"the built-in {resource} does not load:\n" + string.Join('\n', result.Errors));
    }

    private static string ReadResource(string name)
    {
        using var stream = typeof(SampleRegion).Assembly.GetManifestResourceStream(name)
            ?? throw new InvalidOperationException($"resource '{name}' is not built into {typeof(SampleRegion).Assembly.GetName().Name}");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
