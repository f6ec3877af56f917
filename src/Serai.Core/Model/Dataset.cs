namespace Serai.Core.Model;

/// <summary>A dataset with its home site and the countries where it may be processed (a bit per country).</summary>
public sealed record Dataset(
    int Index,
    string Name,
    int OwnerTenant,
    double SizeGb,
    int HomeSite,
    ulong AllowedCountriesMask);
