namespace Serai.Core.Model;

/// <summary>A network link between two sites; symmetric.</summary>
public sealed record Link(int SiteA, int SiteB, double BandwidthGbps, double LatencyMs, bool CrossBorder)
{
    /// <summary>Seconds to move <paramref name="sizeGb"/> gigabytes over this link (one latency plus serialisation).</summary>
    public double TransferSeconds(double sizeGb) => LatencyMs / 1000.0 + sizeGb * 8.0 / BandwidthGbps;
}
