using System.Text.Json;

namespace Serai.Cli.Tests;

public class BenchSchedulerCommandTests
{
    [Fact]
    public void A_small_scheduler_benchmark_prints_its_figures_as_one_JSON_object()
    {
        var (code, output, error) = CliRun.Invoke("bench", "scheduler", "--gpus", "2000", "--jobs", "2000", "--rounds", "2", "--all-cores", "--json");

        Assert.True(code == 0, error);
        using var json = JsonDocument.Parse(output);
        var root = json.RootElement;
        Assert.Equal(2000, root.GetProperty("pendingJobs").GetInt32());
        Assert.True(root.GetProperty("placements").GetInt64() > 0);
        Assert.True(root.GetProperty("placementsPerSecond").GetDouble() > 0);
        Assert.True(root.GetProperty("p99Microseconds").GetDouble() >= root.GetProperty("p50Microseconds").GetDouble());
        Assert.False(string.IsNullOrEmpty(root.GetProperty("machine").GetString()));
    }

    [Theory]
    [InlineData("--gpus", "10", "--gpus: 10 is out of range; allowed: 64..10000000")]
    [InlineData("--jobs", "0", "--jobs: 0 is out of range; allowed: 1..10000000")]
    [InlineData("--rounds", "1000", "--rounds: 1000 is out of range; allowed: 1..100")]
    [InlineData("--profile", "greedy", "--profile: 'greedy' is not a profile; allowed: fifo, priority-fairshare, serai, sjf, slurm, srtf, las")]
    public void Bad_benchmark_flags_are_named_with_what_is_allowed(string flag, string value, string message)
    {
        var (code, _, error) = CliRun.Invoke("bench", "scheduler", flag, value, "--all-cores");

        Assert.Equal(2, code);
        Assert.Contains(message, error, StringComparison.Ordinal);
    }
}
