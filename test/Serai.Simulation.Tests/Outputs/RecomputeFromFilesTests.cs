using System.Globalization;
using Serai.Scheduling.Profiles;
using Serai.Simulation.Output;
using Serai.Simulation.Tests.Support;

namespace Serai.Simulation.Tests.Outputs;

/// <summary>Reads only jobs.csv and sites.csv and recomputes GPUs and power per site at every instant.</summary>
public sealed class RecomputeFromFilesTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("serai-out-").FullName;

    public void Dispose() => Directory.Delete(_dir, true);

    [Theory]
    [InlineData("fifo")]
    [InlineData("serai")]
    public void Capacity_and_power_recomputed_from_jobs_csv_and_sites_csv_show_no_violation(string policy)
    {
        var hub = Runs.SampleHub();
        var run = Runs.Run(hub, Runs.Sample(hub), BuiltInProfiles.ByName(policy)!);
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
        Assert.Empty(violations);
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
