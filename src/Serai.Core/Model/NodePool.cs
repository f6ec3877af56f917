namespace Serai.Core.Model;

/// <summary>
/// A pool of identical nodes at one site. Nodes are grouped in blocks (a leaf switch, an NVLink domain) so that
/// multi-node gangs can be kept close together.
/// </summary>
public sealed record NodePool(
    int Index,
    string Name,
    int Site,
    Accelerator Accelerator,
    int Nodes,
    int GpusPerNode,
    double NodeOverheadWatts,
    int NodesPerBlock)
{
    public int Gpus => Nodes * GpusPerNode;

    /// <summary>IT power of the pool with every GPU idle: idle draw plus node overhead (CPUs, NICs, fans).</summary>
    public double IdleWatts => Gpus * Accelerator.IdleWatts + Nodes * NodeOverheadWatts;

    /// <summary>Extra IT power when <paramref name="gpus"/> GPUs (or a share of one) go from idle to <paramref name="powerFraction"/> of TDP.</summary>
    public double BusyDeltaWatts(double gpus, double powerFraction) =>
        gpus * Math.Max(0, Accelerator.TdpWatts * powerFraction - Accelerator.IdleWatts);

    public string QualifiedName(HubModel hub) => $"{hub.Sites[Site].Name}/{Name}";
}
