using System.Globalization;
using Serai.Core.Model;

namespace Serai.Config.Summary;

/// <summary>What an operator reads about a hub: sites with their yearly PUE range, fleet by model, tenants, data, AI systems.</summary>
public sealed record HubSummary(
    string Name,
    int TotalGpus,
    double TotalGridMw,
    double TotalItCapMw,
    double TotalPeakItMw,
    IReadOnlyList<string> Countries,
    IReadOnlyList<string> Stacks,
    IReadOnlyList<SiteSummary> Sites,
    IReadOnlyList<FleetLine> Fleet,
    IReadOnlyList<TenantSummary> Tenants,
    IReadOnlyList<DatasetSummary> Datasets,
    IReadOnlyList<AiSystemSummary> AiSystems,
    IReadOnlyList<LinkSummary> Links)
{
    public static HubSummary From(HubModel hub)
    {
        var sites = hub.Sites.Select(s => SiteSummary.From(hub, s)).ToArray();
        var fleet = hub.Accelerators
            .Where(a => hub.GpusByAccelerator[a.Index] > 0)
            .Select(a => new FleetLine(a.Vendor, a.Model, a.Stack, hub.GpusByAccelerator[a.Index],
                hub.Pools.Where(p => p.Accelerator.Index == a.Index).Select(p => hub.Sites[p.Site].Name).Distinct().ToArray()))
            .OrderBy(f => f.Vendor, StringComparer.Ordinal).ThenByDescending(f => f.Gpus)
            .ToArray();
        var tenants = hub.Tenants.Select(t => new TenantSummary(
            t.Name,
            hub.Accelerators.Where(a => t.GuaranteedGpus[a.Index] > 0).ToDictionary(a => a.Model, a => t.GuaranteedGpus[a.Index]),
            t.BorrowLimitGpus,
            t.FairShareWeight,
            Split(hub.CountryNames(t.AllowedCountriesMask)),
            PriorityClasses.All.Where(t.MayUse).Select(p => p.Name()).ToArray())).ToArray();
        var datasets = hub.Datasets.Select(d => new DatasetSummary(
            d.Name, hub.Tenants[d.OwnerTenant].Name, d.SizeGb, hub.Sites[d.HomeSite].Name, Split(hub.CountryNames(d.AllowedCountriesMask)))).ToArray();
        var aiSystems = hub.ConfiguredAiSystems.Systems.Select(a => new AiSystemSummary(
            a.Id, hub.Tenants[a.OwnerTenant].Name, a.Risk.ToString().ToLowerInvariant(), a.Approved, a.MayRun)).ToArray();
        var links = hub.Links
            .Select(l => new LinkSummary(hub.Sites[l.SiteA].Name, hub.Sites[l.SiteB].Name, l.BandwidthGbps, l.LatencyMs, l.CrossBorder))
            .ToArray();
        return new HubSummary(hub.Name, hub.TotalGpus, sites.Sum(s => s.GridMw), sites.Sum(s => s.ItCapMw), sites.Sum(s => s.PeakItMw),
            hub.Countries, hub.Stacks, sites, fleet, tenants, datasets, aiSystems, links);
    }

    /// <summary>One line for <c>serai hub check</c>.</summary>
    public string OneLine()
    {
        var c = CultureInfo.InvariantCulture;
        return $"{Name}: {Count(Sites.Count, "site")} in {Count(Countries.Count, "country", "countries")}, {Count(TotalGpus, "GPU")} " +
            $"({Count(Fleet.Count, "model")}, {Count(Stacks.Count, "stack")}), " +
            string.Create(c, $"{TotalGridMw:0.###} MW grid, {TotalItCapMw:0.###} MW IT cap, ") +
            $"{Count(Tenants.Count, "tenant")}, {Count(Datasets.Count, "dataset")}, {Count(AiSystems.Count, "AI system")}";
    }

    private static string Count(int n, string one, string? many = null) =>
        string.Create(CultureInfo.InvariantCulture, $"{n:N0} {(n == 1 ? one : many ?? one + "s")}");

    private static string[] Split(string names) => names.Length == 0 ? [] : names.Split(',');
}

/// <summary>GPUs of one accelerator model over the hub and the sites that have them.</summary>
public sealed record FleetLine(string Vendor, string Model, string Stack, int Gpus, IReadOnlyList<string> Sites);

/// <summary>A tenant's quota and rights as configured.</summary>
public sealed record TenantSummary(
    string Name,
    IReadOnlyDictionary<string, int> GuaranteedGpus,
    int BorrowLimitGpus,
    double FairShareWeight,
    IReadOnlyList<string> AllowedCountries,
    IReadOnlyList<string> PriorityClasses);

/// <summary>A dataset with its owner, home and residency.</summary>
public sealed record DatasetSummary(string Name, string Owner, double SizeGb, string HomeSite, IReadOnlyList<string> AllowedCountries);

/// <summary>An entry of the AI-system registry; <see cref="MayRun"/> is false for unapproved high-risk systems.</summary>
public sealed record AiSystemSummary(string Id, string Owner, string Risk, bool Approved, bool MayRun);

/// <summary>A link between two sites.</summary>
public sealed record LinkSummary(string From, string To, double BandwidthGbps, double LatencyMs, bool CrossBorder);
