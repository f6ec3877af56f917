using Serai.Core.Model;

namespace Serai.Server;

/// <summary>Loads the hub configuration file the server runs.</summary>
public static class HubFiles
{
    public static HubModel Load(string path) =>
        throw new InvalidOperationException($"hub: cannot load '{path}' yet (the YAML loader is not wired in)");
}
