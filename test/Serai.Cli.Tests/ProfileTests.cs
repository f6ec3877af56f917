using Serai.Cli.Client;

namespace Serai.Cli.Tests;

/// <summary>Several hubs side by side in the CLI's config: a second server's first start adds a profile and changes nothing in use.</summary>
public sealed class ProfileTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), $"serai-profiles-{Guid.NewGuid():N}");
    private readonly string? _before = Environment.GetEnvironmentVariable("XDG_CONFIG_HOME");

    public ProfileTests() => Environment.SetEnvironmentVariable("XDG_CONFIG_HOME", _directory);

    public void Dispose()
    {
        Environment.SetEnvironmentVariable("XDG_CONFIG_HOME", _before);
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }

    [Fact]
    public void A_second_hubs_first_start_adds_a_profile_and_the_one_in_use_stays()
    {
        var file = ProfileFile.Read(ClientConfig.DefaultPath);
        Assert.Equal("local", file.Add("local", new HubProfile("http://127.0.0.1:8080", "serai_one")));
        file.Write(ClientConfig.DefaultPath);

        file = ProfileFile.Read(ClientConfig.DefaultPath);
        Assert.Equal("local-2", file.Add("local", new HubProfile("http://127.0.0.1:8081", "serai_two")));
        file.Write(ClientConfig.DefaultPath);

        var read = ProfileFile.Read(ClientConfig.DefaultPath);
        Assert.Equal("local", read.Current);
        Assert.Equal(["local", "local-2"], read.Profiles.Keys);
        Assert.Equal(new ClientConfig("http://127.0.0.1:8080", "serai_one"), ClientConfig.Resolve(null, null));
        Assert.Equal(new ClientConfig("http://127.0.0.1:8081", "serai_two"), ClientConfig.Resolve(null, null, "local-2"));
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(ClientConfig.DefaultPath));
        }
    }

    [Fact]
    public void Config_use_switches_the_hub_and_an_unknown_profile_is_an_error_naming_the_known_ones()
    {
        var file = new ProfileFile();
        file.Add("alpha", new HubProfile("http://127.0.0.1:8080", "serai_a"));
        file.Add("beta", new HubProfile("http://127.0.0.1:8081", "serai_b"));
        file.Write(ClientConfig.DefaultPath);

        var (code, output, _) = CliRun.Invoke("config", "use", "beta");
        Assert.Equal(0, code);
        Assert.Contains("using profile 'beta'", output, StringComparison.Ordinal);
        Assert.Equal("http://127.0.0.1:8081", ClientConfig.Resolve(null, null).Url);
        Assert.Contains("* beta", CliRun.Invoke("config", "list").Out, StringComparison.Ordinal);

        var (missing, _, error) = CliRun.Invoke("--hub-profile", "gamma", "jobs");
        Assert.Equal(2, missing);
        Assert.Contains("no CLI profile 'gamma'", error, StringComparison.Ordinal);
        Assert.Contains("alpha, beta", error, StringComparison.Ordinal);
    }

    [Fact]
    public void A_config_file_of_the_older_form_reads_as_one_profile()
    {
        Directory.CreateDirectory(Path.GetDirectoryName(ClientConfig.DefaultPath)!);
        File.WriteAllText(ClientConfig.DefaultPath, """{ "url": "http://127.0.0.1:7000", "token": "serai_old" }""");

        Assert.Equal(new ClientConfig("http://127.0.0.1:7000", "serai_old"), ClientConfig.Resolve(null, null));
    }
}
