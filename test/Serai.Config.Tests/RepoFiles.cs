namespace Serai.Config.Tests;

/// <summary>Paths of files in the repository (sample hubs) and of this project's test data.</summary>
internal static class RepoFiles
{
    public static string Root { get; } = FindRoot();

    public static string Hub(string name) => Path.Combine(Root, "hubs", name);

    public static string Data(string name) => Path.Combine(AppContext.BaseDirectory, "Data", name);

    private static string FindRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Serai.slnx")))
        {
            dir = dir.Parent;
        }
        return dir?.FullName ?? throw new InvalidOperationException("Serai.slnx not found above " + AppContext.BaseDirectory);
    }
}
