using System.Text.Json;

namespace Serai.Cli.Tests;

public class BenchCliCommandTests
{
    [Fact]
    public void A_small_start_up_benchmark_times_jobs_and_submit_of_the_full_CLI_and_says_what_it_did_not_measure()
    {
        var missing = Path.Combine(Path.GetTempPath(), "no-slurm-" + Guid.NewGuid().ToString("N"), "slurm.conf");
        var (code, output, error) = CliRun.Invoke("bench", "cli", "--runs", "2", "--hub", CliRun.Repo("hubs", "local.yaml"), "--slurm-conf", missing, "--json");

        Assert.True(code == 0, error);
        var root = JsonDocument.Parse(output).RootElement;
        var rows = root.GetProperty("rows").EnumerateArray().ToList();
        Assert.Equal(["serai jobs", "serai submit"], rows.Select(r => r.GetProperty("command").GetString()));
        Assert.All(rows, r =>
        {
            Assert.StartsWith("full CLI", r.GetProperty("client").GetString(), StringComparison.Ordinal);
            Assert.Equal(0, r.GetProperty("failed").GetInt32());
            Assert.True(r.GetProperty("medianMs").GetDouble() > 0);
        });
        var notes = string.Join("\n", root.GetProperty("notes").EnumerateArray().Select(n => n.GetString()));
        Assert.Contains("native (AOT): not found", notes, StringComparison.Ordinal);
        Assert.Contains("sbatch", notes, StringComparison.Ordinal);
        Assert.False(string.IsNullOrEmpty(root.GetProperty("machine").GetString()));
    }

    [Theory]
    [InlineData("--runs", "0", "--runs: 0 is out of range; allowed 1..10000")]
    [InlineData("--native", "/nonexistent/serai", "--native: '/nonexistent/serai' does not exist")]
    [InlineData("--hub", "/nonexistent/hub.yaml", "--hub: '/nonexistent/hub.yaml' does not exist")]
    public void Bad_flags_are_named_with_what_is_allowed(string flag, string value, string message)
    {
        var hub = flag == "--hub" ? [] : (string[])["--hub", CliRun.Repo("hubs", "local.yaml")];
        var (code, _, error) = CliRun.Invoke(["bench", "cli", .. hub, flag, value]);

        Assert.Equal(2, code);
        Assert.Contains(message, error, StringComparison.Ordinal);
    }
}
