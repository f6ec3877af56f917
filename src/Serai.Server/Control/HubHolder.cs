using Serai.Core.Model;

namespace Serai.Server.Control;

/// <summary>
/// What the API reads of the hub: the hub model, fixed while the server runs, and the AI-system registry in force,
/// which only the control loop replaces (after the runtime has put it in force), so readers never see a registry the
/// scheduler does not use.
/// </summary>
public sealed class HubHolder(HubModel hub)
{
    private volatile AiSystemRegistry _aiSystems = hub.ConfiguredAiSystems;

    public HubModel Hub { get; } = hub;

    /// <summary>The AI-system registry in force.</summary>
    public AiSystemRegistry AiSystems => _aiSystems;

    /// <summary>Publishes the registry the runtime now uses (the control loop's thread only).</summary>
    internal void Publish(AiSystemRegistry aiSystems) => _aiSystems = aiSystems;
}
