using System.Collections.Frozen;

namespace Serai.Core.Model;

/// <summary>
/// The whole hub, immutable once built: accelerator catalogue, sites with their pools, links, tenants, datasets and
/// the AI systems the hub's configuration registers. Names are resolved to indexes here once so that the scheduler
/// works on arrays. The registry in force (configured systems plus those registered and approved while the hub runs)
/// is not part of the model: it is <c>HubState.AiSystems</c>, changed by the runtime alone.
/// </summary>
public sealed class HubModel
{
    private readonly FrozenDictionary<string, int> _tenantByName;
    private readonly FrozenDictionary<string, int> _siteByName;
    private readonly FrozenDictionary<string, int> _acceleratorByModel;
    private readonly FrozenDictionary<string, int> _datasetByName;
    private readonly double[,] _latencyMs;
    private readonly double[,] _secondsPerGb;

    public HubModel(
        string name,
        IReadOnlyList<string> countries,
        IReadOnlyList<string> stacks,
        IReadOnlyList<Accelerator> accelerators,
        IReadOnlyList<Site> sites,
        IReadOnlyList<NodePool> pools,
        IReadOnlyList<Link> links,
        IReadOnlyList<Tenant> tenants,
        IReadOnlyList<Dataset> datasets,
        IReadOnlyList<AiSystem> aiSystems)
    {
        if (countries.Count > 64)
        {
            throw new ArgumentException("at most 64 countries", nameof(countries));
        }
        if (stacks.Count > 32)
        {
            throw new ArgumentException("at most 32 software stacks", nameof(stacks));
        }
        Name = name;
        Countries = [.. countries];
        Stacks = [.. stacks];
        Accelerators = [.. accelerators];
        Sites = [.. sites];
        Pools = [.. pools];
        Links = [.. links];
        Tenants = [.. tenants];
        Datasets = [.. datasets];
        ConfiguredAiSystems = new AiSystemRegistry(aiSystems);
        CheckIndexes();
        _tenantByName = Tenants.ToFrozenDictionary(t => t.Name, t => t.Index, StringComparer.OrdinalIgnoreCase);
        _siteByName = Sites.ToFrozenDictionary(s => s.Name, s => s.Index, StringComparer.OrdinalIgnoreCase);
        _acceleratorByModel = Accelerators.ToFrozenDictionary(a => AcceleratorSpec.Key(a.Model), a => a.Index, StringComparer.Ordinal);
        _datasetByName = Datasets.ToFrozenDictionary(d => d.Name, d => d.Index, StringComparer.OrdinalIgnoreCase);
        (_latencyMs, _secondsPerGb) = LinkPaths.AllPairs(Sites.Length, Links);
        TotalGpus = Pools.Sum(p => p.Gpus);
        GpusByAccelerator = new int[Accelerators.Length];
        foreach (var pool in Pools)
        {
            GpusByAccelerator[pool.Accelerator.Index] += pool.Gpus;
        }
        TotalFairShareWeight = Tenants.Sum(t => t.FairShareWeight);
    }

    public string Name { get; }

    /// <summary>Whether every job that reads a dataset holding personal data must name an AI system (hub: requireAiSystemForPersonalData).</summary>
    public bool RequireAiSystemForPersonalData { get; init; }
    public string[] Countries { get; }
    public string[] Stacks { get; }
    public Accelerator[] Accelerators { get; }
    public Site[] Sites { get; }
    public NodePool[] Pools { get; }
    public Link[] Links { get; }
    public Tenant[] Tenants { get; }
    public Dataset[] Datasets { get; }
    /// <summary>The AI systems of the hub's configuration: the registry a run starts from.</summary>
    public AiSystemRegistry ConfiguredAiSystems { get; }
    public int TotalGpus { get; }
    public int[] GpusByAccelerator { get; }
    public double TotalFairShareWeight { get; }

    public int? TenantIndex(string name) => _tenantByName.TryGetValue(name, out var i) ? i : null;
    public int? SiteIndex(string name) => _siteByName.TryGetValue(name, out var i) ? i : null;
    /// <summary>Index of a model named as the catalogue does or any spelling with the same <see cref="AcceleratorSpec.Key"/>.</summary>
    public int? AcceleratorIndex(string model) => _acceleratorByModel.TryGetValue(AcceleratorSpec.Key(model), out var i) ? i : null;
    public int? DatasetIndex(string name) => _datasetByName.TryGetValue(name, out var i) ? i : null;

    public int StackBit(string stack)
    {
        var i = Array.FindIndex(Stacks, s => string.Equals(s, stack, StringComparison.OrdinalIgnoreCase));
        return i;
    }

    public uint StackMask(IEnumerable<string> stacks)
    {
        uint mask = 0;
        foreach (var s in stacks)
        {
            var bit = StackBit(s);
            if (bit >= 0)
            {
                mask |= 1u << bit;
            }
        }
        return mask;
    }

    public string CountryNames(ulong mask) =>
        string.Join(",", Countries.Where((_, i) => (mask & (1UL << i)) != 0));

    public string StackNames(uint mask) =>
        string.Join(",", Stacks.Where((_, i) => (mask & (1u << i)) != 0));

    /// <summary>Seconds to move <paramref name="sizeGb"/> from one site to another over the best path; 0 at home; +∞ without a path.</summary>
    public double TransferSeconds(int fromSite, int toSite, double sizeGb) =>
        fromSite == toSite ? 0 : _latencyMs[fromSite, toSite] / 1000.0 + sizeGb * _secondsPerGb[fromSite, toSite];

    /// <summary>Fair-share entitlement of a tenant in GPUs: its weight's share of the whole hub.</summary>
    public double EntitlementGpus(int tenant) =>
        TotalFairShareWeight <= 0 ? 0 : TotalGpus * Tenants[tenant].FairShareWeight / TotalFairShareWeight;

    private void CheckIndexes()
    {
        for (var i = 0; i < Accelerators.Length; i++)
        {
            Require(Accelerators[i].Index == i, "accelerator indexes");
        }
        for (var i = 0; i < Sites.Length; i++)
        {
            Require(Sites[i].Index == i, "site indexes");
        }
        for (var i = 0; i < Pools.Length; i++)
        {
            Require(Pools[i].Index == i, "pool indexes");
            Require(Pools[i].Site >= 0 && Pools[i].Site < Sites.Length, "pool site");
            Require(Pools[i].GpusPerNode is > 0 and <= 64, "GPUs per node in 1..64");
        }
        for (var i = 0; i < Tenants.Length; i++)
        {
            Require(Tenants[i].Index == i, "tenant indexes");
            Require(Tenants[i].GuaranteedGpus.Length == Accelerators.Length, "tenant guarantees per accelerator");
        }
        for (var i = 0; i < Datasets.Length; i++)
        {
            Require(Datasets[i].Index == i, "dataset indexes");
        }
    }

    private static void Require(bool condition, string what)
    {
        if (!condition)
        {
            throw new ArgumentException($"hub model is inconsistent: {what}");
        }
    }
}
