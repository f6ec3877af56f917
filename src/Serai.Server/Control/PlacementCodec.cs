using System.Text.Json;
using Serai.Core.Jobs;

namespace Serai.Server.Control;

/// <summary>Placements as JSON in the jobs table, so that a restarted server can rebuild the hub state.</summary>
public static class PlacementCodec
{
    public static string Encode(Placement placement) =>
        JsonSerializer.Serialize(new Stored(placement.Pool, placement.Nodes, placement.GpuMasks));

    public static Placement? Decode(string? json)
    {
        if (string.IsNullOrEmpty(json))
        {
            return null;
        }
        var stored = JsonSerializer.Deserialize<Stored>(json);
        return stored is null ? null : new Placement(stored.Pool, stored.Nodes, stored.Masks);
    }

    private sealed record Stored(int Pool, int[] Nodes, ulong[] Masks);
}
