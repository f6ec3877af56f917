namespace Serai.Dashboard.Tests;

/// <summary>The sample hub files, and copies with a changed IT cap.</summary>
public static class Hubs
{
    public static string Local => Path.Combine(DashboardHost.RepoRoot, "hubs", "local.yaml");

    public static string CentralAsia => Path.Combine(DashboardHost.RepoRoot, "hubs", "central-asia.yaml");

    /// <summary>A copy of hubs/local.yaml in <paramref name="directory"/> with the site's IT cap set to <paramref name="itCapMw"/>.</summary>
    public static string LocalWithCap(string directory, double itCapMw)
    {
        var text = File.ReadAllText(Local);
        const string original = "itCapMw: 0.008";
        Assert.Contains(original, text, StringComparison.Ordinal);
        var path = Path.Combine(directory, "hub.yaml");
        File.WriteAllText(path, text.Replace(original, "itCapMw: " + itCapMw.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal));
        return path;
    }
}
