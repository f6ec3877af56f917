using Serai.Config.Reading;
using Serai.Config.Sections;
using Serai.Core.Model;

namespace Serai.Config;

/// <summary>
/// Reads the sections in dependency order (catalogue, sites and pools, links, tenants, datasets, AI systems) and,
/// when no error was found, builds the hub with only the accelerator models it uses or declares.
/// </summary>
internal static class HubAssembler
{
    public static HubModel? Read(MapReader root, LoadContext context)
    {
        var (name, requireAiSystem) = HubName(root);
        AcceleratorSection.Read(root, context);
        var pools = new List<NodePool?>();
        var sites = SiteSection.Read(root, context, pools);
        var links = LinkSection.Read(root, context, sites);
        var tenants = TenantSection.Read(root, context, pools);
        CheckBackendTenants(context, tenants);
        var datasets = DatasetSection.Read(root, context, sites);
        var aiSystems = AiSystemSection.Read(root, context);
        if (context.Countries.Count > 64)
        {
            context.Errors.Add(root.Node, "sites", $"{context.Countries.Count} countries", "at most 64 countries over all sites");
        }
        if (context.Errors.Count > 0 || name is null)
        {
            return null;
        }
        return Build(root, name, context, sites!, pools!, links!, tenants!, datasets!, aiSystems!, requireAiSystem);
    }

    /// <summary>Accounts and wckeys name tenants of this file.</summary>
    private static void CheckBackendTenants(LoadContext context, Tenant?[] tenants)
    {
        var known = tenants.OfType<Tenant>().Select(t => t.Name).ToHashSet(StringComparer.Ordinal);
        if (known.Count < tenants.Length)
        {
            return; // a tenant that failed to read is reported already
        }
        foreach (var (node, field, tenant) in context.BackendTenantRefs.Where(r => !known.Contains(r.Tenant)))
        {
            context.Errors.Add(node, field, tenant, $"a tenant of this hub: {string.Join(", ", known.Order(StringComparer.Ordinal))}");
        }
    }

    /// <summary>The <c>hub:</c> section: its name, and whether every job that reads personal data must name an AI system.</summary>
    private static (string? Name, bool RequireAiSystemForPersonalData) HubName(MapReader root)
    {
        if (root.Get("hub") is not { } node)
        {
            root.Missing("hub", "hub: {name: ...}");
            return (null, false);
        }
        var hub = MapReader.Open(node, "hub", root.Errors, "name", "description", "requireAiSystemForPersonalData");
        _ = hub?.Text("description", required: false);
        return hub is null ? (null, false) : (Names.Name(hub, "name"), hub.Bool("requireAiSystemForPersonalData", false) ?? false);
    }

    private static HubModel? Build(MapReader root, string name, LoadContext context, Site[] sites, List<NodePool> pools, Link[] links,
        Tenant[] tenants, Dataset[] datasets, AiSystem[] aiSystems, bool requireAiSystemForPersonalData)
    {
        var kept = context.CatalogueAccelerators
            .Where(a => context.Declared.Contains(a.Index) || pools.Any(p => p.Accelerator.Index == a.Index))
            .ToList();
        var stacks = kept.Select(a => a.Stack).Distinct().ToList();
        if (stacks.Count > 32)
        {
            context.Errors.Add(root.Node, "accelerators", $"{stacks.Count} stacks", "at most 32 software stacks");
            return null;
        }
        var newIndex = new int[context.CatalogueAccelerators.Length];
        Array.Fill(newIndex, -1);
        var accelerators = kept.Select((a, i) =>
        {
            newIndex[a.Index] = i;
            return a with { Index = i, StackBit = stacks.IndexOf(a.Stack) };
        }).ToArray();
        var newPools = pools.Select(p => p with { Accelerator = accelerators[newIndex[p.Accelerator.Index]] }).ToArray();
        var newTenants = tenants.Select(t => t with { GuaranteedGpus = Remap(t.GuaranteedGpus, newIndex, accelerators.Length) }).ToArray();
        return new HubModel(name, context.Countries, stacks, accelerators, sites, newPools, links, tenants: newTenants, datasets, aiSystems)
        {
            RequireAiSystemForPersonalData = requireAiSystemForPersonalData,
        };
    }

    private static int[] Remap(int[] byCatalogue, int[] newIndex, int count)
    {
        var result = new int[count];
        for (var i = 0; i < byCatalogue.Length; i++)
        {
            if (newIndex[i] >= 0)
            {
                result[newIndex[i]] = byCatalogue[i];
            }
        }
        return result;
    }
}
