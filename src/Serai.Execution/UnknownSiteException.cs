namespace Serai.Execution;

/// <summary>A call named a site that no backend serves: a configuration or programming error, not user input.</summary>
public sealed class UnknownSiteException(string site, IEnumerable<string> knownSites)
    : Exception($"site '{site}' has no execution backend; known sites: {Describe(knownSites)}")
{
    public string Site { get; } = site;

    private static string Describe(IEnumerable<string> sites)
    {
        var names = sites.Order(StringComparer.Ordinal).ToList();
        return names.Count == 0 ? "(none)" : string.Join(", ", names);
    }
}
