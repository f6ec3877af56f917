namespace Serai.Core.Model;

/// <summary>
/// A dataset with its owner tenant, its home site and the countries where it may be processed (a bit per country).
/// Only the owner and the tenants it was granted to may name it in a job.
/// </summary>
public sealed record Dataset(
    int Index,
    string Name,
    int OwnerTenant,
    double SizeGb,
    int HomeSite,
    ulong AllowedCountriesMask)
{
    /// <summary>Whether the dataset holds personal data (a hub may then require an AI system on every job that reads it).</summary>
    public bool PersonalData { get; init; }

    /// <summary>Tenants other than the owner that may use the dataset, each for a stated purpose.</summary>
    public IReadOnlyList<DatasetGrant> Grants { get; init; } = [];

    /// <summary>Whether jobs of <paramref name="tenant"/> may use the dataset: its owner or a grantee.</summary>
    public bool MayUse(int tenant) => tenant == OwnerTenant || Grants.Any(g => g.Tenant == tenant);
}

/// <summary>A tenant that may use another tenant's dataset, and what for.</summary>
public readonly record struct DatasetGrant(int Tenant, string Purpose);
