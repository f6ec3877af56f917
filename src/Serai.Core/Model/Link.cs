namespace Serai.Core.Model;

/// <summary>A network link between two sites; symmetric.</summary>
public sealed record Link(int SiteA, int SiteB, double BandwidthGbps, double LatencyMs, bool CrossBorder);
