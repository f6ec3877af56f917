using Serai.Simulation.Report;
using Serai.Simulation.Running;

namespace Serai.Simulation.Output;

/// <summary>
/// Writes a simulation's outputs: DIR/summary.json, DIR/jobs.csv and DIR/sites.csv of the main policy, DIR/report.html,
/// and DIR/policies/NAME/{jobs,sites}.csv for each compared policy.
/// </summary>
public static class OutputWriter
{
    public static IReadOnlyList<string> WriteAll(string folder, SimulationDocument document, IReadOnlyList<RunResult> runs)
    {
        Directory.CreateDirectory(folder);
        var written = new List<string>();
        string Path(params string[] parts) => System.IO.Path.Combine([folder, .. parts]);
        SummaryJson.Write(document, Path("summary.json"));
        written.Add(Path("summary.json"));
        JobsCsv.Write(runs[0].Simulator, Path("jobs.csv"));
        SitesCsv.Write(runs[0].Simulator, runs[0].Metrics, Path("sites.csv"));
        written.Add(Path("jobs.csv"));
        written.Add(Path("sites.csv"));
        foreach (var run in runs.Skip(1))
        {
            var dir = Path("policies", run.Summary.Policy);
            Directory.CreateDirectory(dir);
            JobsCsv.Write(run.Simulator, System.IO.Path.Combine(dir, "jobs.csv"));
            SitesCsv.Write(run.Simulator, run.Metrics, System.IO.Path.Combine(dir, "sites.csv"));
            written.Add(dir);
        }
        HtmlReport.Write(Path("report.html"), document.Command, runs, document.Notes);
        written.Add(Path("report.html"));
        return written;
    }
}
