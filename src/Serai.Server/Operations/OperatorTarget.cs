using System.Globalization;
using Serai.Core.Model;

namespace Serai.Server.Operations;

/// <summary>What an operator action applies to, resolved against the hub: a site, a pool, one node of a pool, or a vendor.</summary>
public sealed record OperatorTarget(string Kind, int Site = -1, int Pool = -1, int Node = -1, string? Vendor = null)
{
    public const string SiteKind = "site";
    public const string PoolKind = "pool";
    public const string NodeKind = "node";
    public const string VendorKind = "vendor";

    /// <summary>The stored form: `site:NAME`, `pool:SITE/POOL`, `node:SITE/POOL/INDEX`, `vendor:NAME`.</summary>
    public string Text(HubModel hub) => Kind switch
    {
        SiteKind => $"site:{hub.Sites[Site].Name}",
        PoolKind => $"pool:{hub.Pools[Pool].QualifiedName(hub)}",
        NodeKind => string.Create(CultureInfo.InvariantCulture, $"node:{hub.Pools[Pool].QualifiedName(hub)}/{Node}"),
        _ => $"vendor:{Vendor}",
    };

    /// <summary>Resolves a site, pool and node named in a URL; the error names what is not in the hub and what is.</summary>
    public static (OperatorTarget? Target, string? Error) Resolve(HubModel hub, string site, string? pool = null, string? node = null)
    {
        if (hub.SiteIndex(site) is not { } s)
        {
            return (null, $"no site '{Apis.ApiIds.Trim(site)}' in this hub; sites: {string.Join(", ", hub.Sites.Select(x => x.Name))}");
        }
        if (pool is null)
        {
            return (new OperatorTarget(SiteKind, s), null);
        }
        var p = hub.Sites[s].PoolIndexes.FirstOrDefault(i => string.Equals(hub.Pools[i].Name, pool, StringComparison.OrdinalIgnoreCase), -1);
        if (p < 0)
        {
            return (null, $"no pool '{Apis.ApiIds.Trim(pool)}' at site {hub.Sites[s].Name}; pools: {string.Join(", ", hub.Sites[s].PoolIndexes.Select(i => hub.Pools[i].Name))}");
        }
        if (node is null)
        {
            return (new OperatorTarget(PoolKind, s, p), null);
        }
        if (!int.TryParse(node, NumberStyles.None, CultureInfo.InvariantCulture, out var n) || n >= hub.Pools[p].Nodes)
        {
            return (null, $"'{Apis.ApiIds.Trim(node)}' is not a node of {hub.Pools[p].QualifiedName(hub)}; nodes are numbered 0 to {hub.Pools[p].Nodes - 1}");
        }
        return (new OperatorTarget(NodeKind, s, p, n), null);
    }

    public static (OperatorTarget? Target, string? Error) ResolveVendor(HubModel hub, string vendor)
    {
        var vendors = hub.Accelerators.Select(a => a.Vendor).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
        var found = vendors.FirstOrDefault(v => string.Equals(v, vendor, StringComparison.OrdinalIgnoreCase));
        return found is null
            ? (null, $"no vendor '{Apis.ApiIds.Trim(vendor)}' in this hub; vendors: {string.Join(", ", vendors)}")
            : (new OperatorTarget(VendorKind, Vendor: found), null);
    }

    /// <summary>Reads a stored target back (after a restart); null when the hub no longer has it.</summary>
    public static OperatorTarget? Parse(HubModel hub, string text)
    {
        var colon = text.IndexOf(':', StringComparison.Ordinal);
        if (colon < 0)
        {
            return null;
        }
        var kind = text[..colon];
        var parts = text[(colon + 1)..].Split('/');
        return kind switch
        {
            SiteKind when parts.Length == 1 => Resolve(hub, parts[0]).Target,
            PoolKind when parts.Length == 2 => Resolve(hub, parts[0], parts[1]).Target,
            NodeKind when parts.Length == 3 => Resolve(hub, parts[0], parts[1], parts[2]).Target,
            VendorKind => ResolveVendor(hub, text[(colon + 1)..]).Target,
            _ => null,
        };
    }
}
