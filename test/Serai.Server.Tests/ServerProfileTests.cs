namespace Serai.Server.Tests;

/// <summary>The server runs the profile the hub file's scheduling: section picks, or the one named, built-in or the file's own.</summary>
public sealed class ServerProfileTests : IDisposable
{
    private readonly string _directory = TestDatabases.NewDirectory();

    public void Dispose() => TestDatabases.Remove(_directory);

    private string HubWithProfiles()
    {
        var local = File.ReadAllText(Path.Combine(ServeProcess.RepositoryRoot(), "hubs", "local.yaml"));
        var path = Path.Combine(_directory, "hub.yaml");
        File.WriteAllText(path, local + "\nscheduling:\n  profile: green\n  profiles:\n    green: { base: serai, scores: { carbon: 3 } }\n");
        return path;
    }

    [Fact]
    public void The_server_runs_the_profile_its_hub_file_picks_or_the_one_named()
    {
        var path = HubWithProfiles();
        Assert.Equal("green", HubFiles.Profile(path, null).Name);
        Assert.Equal("fifo", HubFiles.Profile(path, "fifo").Name);
        Assert.Equal("serai", HubFiles.Profile(Path.Combine(ServeProcess.RepositoryRoot(), "hubs", "local.yaml"), "").Name);
        var e = Assert.Throws<InvalidOperationException>(() => HubFiles.Profile(path, "fastest"));
        Assert.Contains("'fastest' is not a scheduler profile; allowed: fifo, priority-fairshare, serai, sjf, slurm, srtf, las, green", e.Message, StringComparison.Ordinal);
    }
}
