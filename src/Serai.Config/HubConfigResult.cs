using Serai.Core.Model;
using Serai.Scheduling.Profiles;

namespace Serai.Config;

/// <summary>The outcome of loading a hub config: a hub when the file is valid, otherwise every error found.</summary>
public sealed class HubConfigResult
{
    internal HubConfigResult(HubModel? hub, IReadOnlyList<ConfigError> errors, SchedulingConfig? scheduling = null, IReadOnlyList<SiteBackendSettings>? backends = null,
        IReadOnlyDictionary<string, string>? runAs = null)
    {
        RunAs = runAs ?? new Dictionary<string, string>();
        Hub = hub;
        Errors = errors;
        Scheduling = hub is null ? null : scheduling ?? SchedulingConfig.Default;
        Backends = (backends ?? []).ToDictionary(b => b.Site, StringComparer.Ordinal);
    }

    /// <summary>Backend settings by site name, for sites that do not run locally (<c>backend: slurm</c>).</summary>
    public IReadOnlyDictionary<string, SiteBackendSettings> Backends { get; }

    /// <summary>The machine account each tenant's jobs run as on local sites (<c>runAs</c>), by tenant; tenants not listed run as <c>serai-TENANT</c>.</summary>
    public IReadOnlyDictionary<string, string> RunAs { get; }

    /// <summary>The hub, or null when <see cref="Errors"/> is not empty.</summary>
    public HubModel? Hub { get; }

    public IReadOnlyList<ConfigError> Errors { get; }

    /// <summary>The <c>scheduling:</c> section (the profile to run and the file's own profiles); null when the hub is.</summary>
    public SchedulingConfig? Scheduling { get; }

    /// <summary>The <c>workloadClasses:</c> section: per-class throughput for the simulator's speed model (empty when absent).</summary>
    public IReadOnlyList<WorkloadClass> WorkloadClasses { get; init; } = [];

    public bool Ok => Hub is not null && Errors.Count == 0;
}
