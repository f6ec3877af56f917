using Serai.Core.Catalogue;
using Serai.Core.Energy;
using Serai.Core.Model;

namespace Serai.Simulation.Hubs;

/// <summary>Builds hub models in code (samples, benchmarks, tests) until and besides YAML hub files.</summary>
public sealed class HubBuilder(string name)
{
    private readonly List<string> _countries = [];
    private readonly List<Accelerator> _accelerators = [];
    private readonly List<string> _stacks = [];
    private readonly List<Site> _sites = [];
    private readonly List<NodePool> _pools = [];
    private readonly List<(string Name, int[]? Guaranteed, int Borrow, double Weight, string[] Countries, PriorityClass[] Classes)> _tenants = [];
    private readonly List<(string Name, string Owner, double SizeGb, string Home, string[] Countries)> _datasets = [];
    private readonly List<(string Id, string Owner, RiskClass Risk, bool Approved)> _aiSystems = [];
    private readonly List<Link> _links = [];

    /// <summary>Adds a model of <see cref="AcceleratorCatalogue"/> (any spelling of its name) with the catalogue's figures.</summary>
    public HubBuilder Accelerator(string model) => Accelerator(AcceleratorCatalogue.Get(model));

    /// <summary>Adds a model with the given figures (a trace's GPU that the catalogue lacks, see <see cref="TraceAccelerators"/>).</summary>
    public HubBuilder Accelerator(AcceleratorSpec spec)
    {
        if (!_stacks.Contains(spec.Stack))
        {
            _stacks.Add(spec.Stack);
        }
        _accelerators.Add(spec.ToAccelerator(_accelerators.Count, _stacks.IndexOf(spec.Stack)));
        return this;
    }

    /// <summary>The four models of the sample hubs, stacks in the order cuda, rocm, cann.</summary>
    public HubBuilder WithDefaultCatalogue() => Accelerator("H200").Accelerator("H100").Accelerator("MI300X").Accelerator("Ascend-910B");

    /// <summary>A site whose IT cap and grid connection are sized from the pools added next (see <see cref="Pool"/>).</summary>
    public HubBuilder Site(string siteName, Climate climate, double itCapWatts, double gridWatts, double coolingCapacityWatts)
    {
        if (!_countries.Contains(climate.Country))
        {
            _countries.Add(climate.Country);
        }
        var cooling = new CoolingModel(17, 5, 0.04, 0.05, 0.02, CoolingModel.RenewItCop, coolingCapacityWatts, 35, 0.02);
        _sites.Add(new Site(_sites.Count, siteName, climate.Country, _countries.IndexOf(climate.Country), climate.UtcOffsetHours,
            gridWatts, itCapWatts, cooling, climate.Temperature(), climate.Carbon(), climate.Price(), []));
        return this;
    }

    public HubBuilder Pool(string poolName, string model, int nodes, int gpusPerNode = 8, double nodeOverheadWatts = 3000, int nodesPerBlock = 32)
    {
        var accelerator = _accelerators.First(a => AcceleratorSpec.Key(a.Model) == AcceleratorSpec.Key(model));
        var site = _sites[^1];
        _pools.Add(new NodePool(_pools.Count, poolName, site.Index, accelerator, nodes, gpusPerNode, nodeOverheadWatts, nodesPerBlock));
        _sites[^1] = site with { PoolIndexes = [.. site.PoolIndexes, _pools.Count - 1] };
        return this;
    }

    public HubBuilder Link(string a, string b, double gbps, double latencyMs, bool crossBorder)
    {
        _links.Add(new Link(_sites.FindIndex(s => s.Name == a), _sites.FindIndex(s => s.Name == b), gbps, latencyMs, crossBorder));
        return this;
    }

    public HubBuilder Tenant(string tenantName, double weight, int borrowLimitGpus, string[]? countries = null, PriorityClass[]? classes = null, int[]? guaranteed = null)
    {
        _tenants.Add((tenantName, guaranteed, borrowLimitGpus, weight, countries ?? [], classes ?? [PriorityClass.High, PriorityClass.Normal, PriorityClass.Low, PriorityClass.Preemptible]));
        return this;
    }

    public HubBuilder Dataset(string datasetName, string owner, double sizeGb, string homeSite, params string[] countries)
    {
        _datasets.Add((datasetName, owner, sizeGb, homeSite, countries));
        return this;
    }

    public HubBuilder AiSystem(string id, string owner, RiskClass risk, bool approved)
    {
        _aiSystems.Add((id, owner, risk, approved));
        return this;
    }

    public HubModel Build()
    {
        ulong Mask(string[] countries) => countries.Length == 0
            ? (_countries.Count == 64 ? ulong.MaxValue : (1UL << _countries.Count) - 1)
            : countries.Aggregate(0UL, (m, c) => m | (1UL << _countries.IndexOf(c)));
        var tenants = _tenants.Select((t, i) => new Tenant(i, t.Name, t.Guaranteed ?? new int[_accelerators.Count], t.Borrow, t.Weight,
            Mask(t.Countries), t.Classes.Aggregate(0, (m, c) => m | c.Bit()))).ToArray();
        int TenantIndex(string n) => Array.FindIndex(tenants, t => t.Name == n);
        var datasets = _datasets.Select((d, i) => new Dataset(i, d.Name, TenantIndex(d.Owner), d.SizeGb, _sites.FindIndex(s => s.Name == d.Home), Mask(d.Countries))).ToArray();
        var systems = _aiSystems.Select((a, i) => new AiSystem(i, a.Id, TenantIndex(a.Owner), a.Risk, a.Approved)).ToArray();
        return new HubModel(name, _countries, _stacks, _accelerators, _sites, _pools, _links, tenants, datasets, systems);
    }
}
