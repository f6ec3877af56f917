using Serai.Config.Reading;
using Serai.Core.Model;

namespace Serai.Config.Sections;

/// <summary><c>links:</c> symmetric network links between sites; cross-border is derived from the sites' countries unless given.</summary>
internal static class LinkSection
{
    private static readonly string[] Keys = ["from", "to", "bandwidthGbps", "latencyMs", "crossBorder"];

    public static Link?[] Read(MapReader root, LoadContext context, Site?[] sites)
    {
        var items = root.List("links", required: false, "a list of links, each with from, to, bandwidthGbps, latencyMs");
        var links = new Link?[items?.Count ?? 0];
        var pairs = new Dictionary<(int, int), long>();
        for (var i = 0; i < links.Length; i++)
        {
            var map = MapReader.Open(items![i], $"links[{i}]", context.Errors, Keys);
            if (map is not null)
            {
                links[i] = Read(map, context, sites, pairs);
            }
        }
        return links;
    }

    private static Link? Read(MapReader map, LoadContext context, Site?[] sites, Dictionary<(int, int), long> pairs)
    {
        var from = Site(map, "from", context);
        var to = Site(map, "to", context);
        var bandwidth = map.Number("bandwidthGbps", NumberRule.Positive("Gbit/s"));
        var latency = map.Number("latencyMs", NumberRule.AtLeast(0, "ms one way"));
        if (from is { } a && to is { } b)
        {
            if (a == b)
            {
                map.Errors.Add(map.Get("to")!, map.Field("to"), map.Text("to", true)!, "a site other than 'from'");
                return null;
            }
            var pair = (Math.Min(a, b), Math.Max(a, b));
            if (pairs.TryGetValue(pair, out var line))
            {
                map.Errors.Add(map.Node, map.Path, $"{map.Text("from", true)} - {map.Text("to", true)}",
                    $"one link per pair of sites (these two are already linked at line {line})");
                return null;
            }
            pairs[pair] = map.Node.Start.Line;
        }
        var derived = from is { } f && to is { } t && sites[f] is { } siteA && sites[t] is { } siteB && siteA.Country != siteB.Country;
        var crossBorder = map.Bool("crossBorder", derived);
        if (from is null || to is null || bandwidth is null || latency is null || crossBorder is null)
        {
            return null;
        }
        return new Link(from.Value, to.Value, bandwidth.Value, latency.Value, crossBorder.Value);
    }

    private static int? Site(MapReader map, string key, LoadContext context)
    {
        var name = map.Text(key, required: true, context.Sites.Known);
        return name is null ? null : context.Sites.Resolve(name, map.Get(key)!, map.Field(key));
    }
}
