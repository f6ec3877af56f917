namespace Serai.Core.Model;

/// <summary>All-pairs best paths over site links (Floyd–Warshall on seconds per GB, latencies added along the path).</summary>
internal static class LinkPaths
{
    public static (double[,] LatencyMs, double[,] SecondsPerGb) AllPairs(int sites, IReadOnlyList<Link> links)
    {
        var latency = new double[sites, sites];
        var perGb = new double[sites, sites];
        for (var a = 0; a < sites; a++)
        {
            for (var b = 0; b < sites; b++)
            {
                latency[a, b] = a == b ? 0 : double.PositiveInfinity;
                perGb[a, b] = a == b ? 0 : double.PositiveInfinity;
            }
        }
        foreach (var link in links)
        {
            var seconds = 8.0 / link.BandwidthGbps;
            if (seconds < perGb[link.SiteA, link.SiteB])
            {
                perGb[link.SiteA, link.SiteB] = perGb[link.SiteB, link.SiteA] = seconds;
                latency[link.SiteA, link.SiteB] = latency[link.SiteB, link.SiteA] = link.LatencyMs;
            }
        }
        for (var k = 0; k < sites; k++)
        {
            for (var a = 0; a < sites; a++)
            {
                for (var b = 0; b < sites; b++)
                {
                    var via = perGb[a, k] + perGb[k, b];
                    if (via < perGb[a, b])
                    {
                        perGb[a, b] = via;
                        latency[a, b] = latency[a, k] + latency[k, b];
                    }
                }
            }
        }
        return (latency, perGb);
    }
}
