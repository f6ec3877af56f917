using System.Globalization;
using Serai.Scheduling.Profiles;
using Serai.Simulation.Output;
using Serai.Simulation.Running;
using Serai.Simulation.Tests.Support;

namespace Serai.Simulation.Tests.Outputs;

/// <summary>
/// Reads only jobs.csv and sites.csv and recomputes GPUs and power per site at every instant; the safety checker,
/// from its own bookkeeping, must agree with it.
/// </summary>
public sealed class RecomputeFromFilesTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("serai-out-").FullName;

    public void Dispose() => Directory.Delete(_dir, true);

    /// <summary>Profiles that do not preempt on the sample (jobs.csv keeps one run per job); srtf and las are checked by the safety checker alone.</summary>
    public static TheoryData<string> Profiles() => [.. BuiltInProfiles.All.Where(p => p.Preemption is null or "priority" or "priority-reclaim").Select(p => p.Name)];

    [Theory]
    [MemberData(nameof(Profiles))]
    public void Capacity_and_power_recomputed_from_jobs_csv_and_sites_csv_show_no_violation(string policy)
    {
        var hub = Runs.SampleHub();
        var run = Runs.Run(hub, Runs.Sample(hub), BuiltInProfiles.ByName(policy)!);
        Assert.Empty(Recompute(run));
        Assert.Equal(0, run.Summary.Violations.Total);
    }

    [Theory]
    [InlineData("fifo")]
    [InlineData("serai")]
    public void Twelve_GPU_gangs_on_8_GPU_nodes_are_counted_alike_by_the_checker_and_the_files(string policy)
    {
        var hub = TestHubs.Tiny(nodes: 4);
        var jobs = new List<(long, int, long)>();
        for (var i = 0; i < 12; i++)
        {
            jobs.Add((i * 600L, 12, 3600));
            jobs.Add((i * 600L + 1, 4, 1800));
        }
        var run = Runs.Run(hub, TestHubs.Workload(hub, [.. jobs]), BuiltInProfiles.ByName(policy)!);
        Assert.Equal(0, run.Summary.Violations.Total);
        Assert.Empty(run.Safety.Messages);
        Assert.Equal(24, run.Summary.Completed);
        for (var j = 0; j < run.Simulator.Workload.Count; j++)
        {
            Assert.Equal(run.Simulator.Workload.Jobs[j].Gpus, run.Simulator.Jobs.Placement[j]!.Gpus);
        }
        Assert.Empty(Recompute(run));
        // 8 + 4: two gangs and two 4-GPU jobs fill the 32 GPUs at once
        var busiest = run.Metrics.Hours.Max(h => h.BusyGpuSeconds);
        Assert.True(busiest > 24 * 3600, $"busiest hour {busiest / 3600:F1} GPU-hours");
    }

    /// <summary>Violations found from the two files alone.</summary>
    private List<string> Recompute(RunResult run)
    {
        // jobs.csv keeps one run per job and its requested power: exact when no job was preempted or throttled
        Assert.Equal(0, run.Summary.Preemptions);
        Assert.Equal(0, run.Summary.Throttles);
        JobsCsv.Write(run.Simulator, Path.Combine(_dir, "jobs.csv"));
        SitesCsv.Write(run.Simulator, run.Metrics, Path.Combine(_dir, "sites.csv"));

        var sites = Csv(Path.Combine(_dir, "sites.csv")).ToDictionary(r => (r["site"], long.Parse(r["hour_unix"], CultureInfo.InvariantCulture)));
        var jobs = Csv(Path.Combine(_dir, "jobs.csv")).Where(r => r["status"] == "completed").ToArray();
        Assert.NotEmpty(jobs);
        var violations = new List<string>();
        foreach (var site in jobs.Select(j => j["site"]).Distinct())
        {
            var changes = jobs.Where(j => j["site"] == site)
                .SelectMany(j => new[] { (T: L(j["start"]), Gpus: (int)L(j["gpus"]), Watts: D(j["it_watts"])), (T: L(j["end"]), Gpus: -(int)L(j["gpus"]), Watts: -D(j["it_watts"])) })
                .GroupBy(c => c.T).OrderBy(g => g.Key);
            int gpus = 0;
            double watts = 0;
            foreach (var at in changes)
            {
                gpus += at.Sum(c => c.Gpus);
                watts += at.Sum(c => c.Watts);
                if (!sites.TryGetValue((site, at.Key / 3600 * 3600), out var row))
                {
                    Assert.True(gpus == 0, "only the last releases may fall after the last hour row");
                    continue;
                }
                var it = D(row["idle_it_watts"]) + watts;
                if (gpus > L(row["gpus_total"]) || it > D(row["it_limit_watts"]) + 1 || it * D(row["pue"]) > D(row["grid_watts"]) + 1)
                {
                    violations.Add($"{site} at {at.Key}: {gpus} GPUs, IT {it:F0} W");
                }
            }
        }
        return violations;
    }

    private static long L(string s) => long.Parse(s, CultureInfo.InvariantCulture);

    private static double D(string s) => double.Parse(s, CultureInfo.InvariantCulture);

    private static IEnumerable<Dictionary<string, string>> Csv(string path)
    {
        var lines = File.ReadAllLines(path);
        var header = lines[0].Split(',');
        return lines.Skip(1).Select(l => header.Zip(l.Split(',')).ToDictionary(p => p.First, p => p.Second));
    }
}
