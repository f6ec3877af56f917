using System.Text.Json;
using Spectre.Console;

namespace Serai.Cli.Tests;

/// <summary>`serai simulate` runs profiles of the hub's <c>scheduling:</c> section and tunes weights with --score.</summary>
public sealed class SimulateProfileTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("serai-simulate-profiles-").FullName;

    public SimulateProfileTests()
    {
        // AnsiConsole keeps the writer it first saw, which an earlier in-process run has closed; these tests read files.
        AnsiConsole.Console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(TextWriter.Null) });
    }

    public void Dispose() => Directory.Delete(_dir, true);

    private string HubWithProfiles()
    {
        var path = Path.Combine(_dir, "hub.yaml");
        File.WriteAllText(path, File.ReadAllText(CliRun.Repo("hubs", "central-asia.yaml")) + """

            scheduling:
              profile: green
              profiles:
                green: {base: serai, scores: {carbon: 3, packing: 1}, deferral: {minGain: 0.2}}

            """);
        return path;
    }

    private (string Main, string[] Compared) Policies()
    {
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(_dir, "out", "summary.json")));
        return (json.RootElement.GetProperty("main").GetProperty("policy").GetString()!,
            [.. json.RootElement.GetProperty("compared").EnumerateArray().Select(c => c.GetProperty("policy").GetString()!)]);
    }

    [Fact]
    public void The_profile_the_hub_picks_runs_by_default_and_its_profiles_can_be_compared_with_built_ins()
    {
        var hub = HubWithProfiles();

        var (code, _, error) = CliRun.Invoke("simulate", "--hub", hub, "--synthetic", "150", "--compare", "serai", "--out", Path.Combine(_dir, "out"), "--quiet");

        Assert.True(code == 0, error);
        var (main, compared) = Policies();
        Assert.Equal("green", main);
        Assert.Equal(["serai"], compared);
    }

    [Fact]
    public void Score_flags_tune_the_main_policy_under_a_name_of_its_own()
    {
        var (code, _, error) = CliRun.Invoke("simulate", "--synthetic", "150", "--policy", "serai", "--score", "carbon=3", "--score", "packing=0.5",
            "--compare", "serai", "--out", Path.Combine(_dir, "out"), "--quiet");

        Assert.True(code == 0, error);
        var (main, compared) = Policies();
        Assert.Equal("serai+carbon=3+packing=0.5", main);
        Assert.Equal(["serai"], compared);
    }

    [Fact]
    public void The_deferral_flag_turns_the_main_policy_s_deferral_off_under_a_name_of_its_own()
    {
        var (code, _, error) = CliRun.Invoke("simulate", "--synthetic", "150", "--policy", "serai", "--deferral", "off",
            "--compare", "serai", "--out", Path.Combine(_dir, "out"), "--quiet");

        Assert.True(code == 0, error);
        var (main, compared) = Policies();
        Assert.Equal("serai+deferral=off", main);
        Assert.Equal(["serai"], compared);
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(_dir, "out", "summary.json")));
        Assert.Equal(0, json.RootElement.GetProperty("main").GetProperty("deferrals").GetInt64());
        var header = File.ReadLines(Path.Combine(_dir, "out", "jobs.csv")).First().Split(',');
        Assert.Equal(["deferrable", "deferred_until"], header[^2..]);
    }

    [Theory]
    [InlineData("--deferral", "maybe", "--deferral 'maybe': allowed off, on")]
    [InlineData("--score", "carbonn=3", "--score 'carbonn=3': 'carbonn' is not a score; allowed: packing, energy-price, carbon, data-locality")]
    [InlineData("--score", "carbon=-1", "--score 'carbon=-1': weight '-1' is not allowed; allowed: a number from 0 to 1000")]
    [InlineData("--score", "carbon=heavy", "--score 'carbon=heavy': weight 'heavy' is not allowed; allowed: a number from 0 to 1000")]
    [InlineData("--score", "carbon", "--score 'carbon': expected NAME=WEIGHT, e.g. carbon=3; scores: packing, energy-price, carbon, data-locality")]
    [InlineData("--policy", "blue", "--policy/--compare: 'blue' is not a policy; allowed: fifo, priority-fairshare, serai, sjf, slurm, srtf, las, green")]
    public void Unknown_plugins_profiles_and_bad_weights_are_named_with_what_is_allowed(string flag, string value, string message)
    {
        var (code, _, error) = CliRun.Invoke("simulate", "--hub", HubWithProfiles(), "--synthetic", "10", "--out", Path.Combine(_dir, "out"), "--quiet", flag, value);

        Assert.Equal(1, code);
        Assert.Contains(message, error, StringComparison.Ordinal);
    }
}
