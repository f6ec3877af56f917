using Serai.Core.Model;

namespace Serai.Server.Control;

/// <summary>The hub model in force; replaced (never mutated) when the AI-system registry changes.</summary>
public sealed class HubHolder(HubModel hub)
{
    private volatile HubModel _hub = hub;

    public HubModel Hub => _hub;

    public HubModel Configured { get; } = hub;

    public void Replace(HubModel hub) => _hub = hub;

    /// <summary>The configured hub with another AI-system registry (indexes of configured systems unchanged).</summary>
    public static HubModel WithAiSystems(HubModel hub, IReadOnlyList<AiSystem> aiSystems) =>
        new(hub.Name, hub.Countries, hub.Stacks, hub.Accelerators, hub.Sites, hub.Pools, hub.Links, hub.Tenants, hub.Datasets, aiSystems);
}
