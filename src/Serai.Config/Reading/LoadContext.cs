using Serai.Core.Catalogue;
using Serai.Core.Model;
using YamlDotNet.RepresentationModel;

namespace Serai.Config.Reading;

/// <summary>What one load has read so far: the catalogue, the names declared per kind, the countries of the sites.</summary>
internal sealed class LoadContext
{
    public LoadContext(ErrorSink errors, string baseDirectory)
    {
        Errors = errors;
        BaseDirectory = baseDirectory;
        Sites = new NameTable("site", errors);
        Tenants = new NameTable("tenant", errors);
        Datasets = new NameTable("dataset", errors);
        AiSystems = new NameTable("AI system", errors);
        Catalogue = [.. AcceleratorCatalogue.All];
    }

    public ErrorSink Errors { get; }
    public string BaseDirectory { get; }
    public NameTable Sites { get; }
    public NameTable Tenants { get; }
    public NameTable Datasets { get; }
    public NameTable AiSystems { get; }

    /// <summary>Built-in models followed by those the file adds; an override replaces the built-in entry in place.</summary>
    public List<AcceleratorSpec> Catalogue { get; }

    /// <summary>Backend settings of the sites that say <c>backend: slurm</c>.</summary>
    public List<SiteBackendSettings> Backends { get; } = [];

    /// <summary>The account each tenant's jobs run as on local sites (<c>runAs</c>), by tenant name.</summary>
    public Dictionary<string, string> RunAs { get; } = new(StringComparer.Ordinal);

    /// <summary>Tenant names used in backend settings (accounts, wckeys), checked once the tenants are read.</summary>
    public List<(YamlNode Node, string Field, string Tenant)> BackendTenantRefs { get; } = [];

    /// <summary>Catalogue indexes the file declares under <c>accelerators:</c>; kept in the hub even without pools.</summary>
    public HashSet<int> Declared { get; } = [];

    /// <summary>Set when a pool could not be read: GPU counts per model are then unknown and capacity checks are skipped.</summary>
    public bool FleetIncomplete { get; set; }

    /// <summary>Set when a site's country could not be read: unknown country codes elsewhere are then not reported.</summary>
    public bool CountriesIncomplete { get; set; }

    /// <summary>Countries of the sites, in order of first appearance: the country bits of the hub.</summary>
    public List<string> Countries { get; } = [];

    /// <summary>Accelerators as Core records with their catalogue index (pruned to the used ones when the hub is built).</summary>
    public Accelerator[] CatalogueAccelerators { get; private set; } = [];

    public int? CatalogueIndex(string model) =>
        Catalogue.FindIndex(a => AcceleratorSpec.Key(a.Model) == AcceleratorSpec.Key(model)) is var i and >= 0 ? i : null;

    public int? ResolveAccelerator(string model, YamlNode node, string field)
    {
        if (CatalogueIndex(model) is { } index)
        {
            return index;
        }
        Errors.Add(node, field, model, $"an accelerator model of the catalogue: {string.Join(", ", Catalogue.Select(a => a.Model))}");
        return null;
    }

    public void FreezeCatalogue()
    {
        var stacks = Catalogue.Select(a => a.Stack).Distinct().ToList();
        CatalogueAccelerators = Catalogue
            .Select((a, i) => a.ToAccelerator(i, stacks.IndexOf(a.Stack)))
            .ToArray();
    }

    public int CountryBit(string country)
    {
        var bit = Countries.IndexOf(country);
        if (bit < 0)
        {
            Countries.Add(country);
            bit = Countries.Count - 1;
        }
        return bit;
    }

    /// <summary>A mask from a list of country codes that must each be a country of some site; null after errors.</summary>
    public ulong? CountryMask(MapReader map, string key)
    {
        if (!map.Has(key))
        {
            return Countries.Count >= 64 ? ulong.MaxValue : (1UL << Countries.Count) - 1;
        }
        var items = map.Texts(key, Names.CountryAllowed);
        if (items is null)
        {
            return null;
        }
        if (items.Count == 0)
        {
            Errors.Add(map.Get(key)!, map.Field(key), "(an empty list)",
                $"at least one country of the hub's sites: {string.Join(", ", Countries)}; leave the key out for all");
            return null;
        }
        ulong mask = 0;
        var ok = true;
        foreach (var (node, value, field) in items)
        {
            var bit = Countries.IndexOf(value);
            if (bit < 0)
            {
                ok = false;
                if (CountriesIncomplete)
                {
                    continue;
                }
                Errors.Add(node, field, value, $"a country of the hub's sites: {string.Join(", ", Countries)}");
                continue;
            }
            mask |= 1UL << bit;
        }
        return ok ? mask : null;
    }
}
