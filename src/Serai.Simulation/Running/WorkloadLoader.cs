using Serai.Core.Model;
using Serai.Simulation.Traces;
using Serai.Simulation.Workloads;

namespace Serai.Simulation.Running;

/// <summary>Reads trace files (or folders of them) and maps them onto a hub; extracts the bundled sample trace.</summary>
public static class WorkloadLoader
{
    public static (Workload Workload, TraceReadReport Report, IReadOnlyList<string> Notes) FromTraces(
        HubModel hub, IEnumerable<string> paths, TraceFormat format, TraceMapping mapping, BadRowPolicy policy, long startUnix)
    {
        var (trace, report) = Read(paths, format, policy);
        var (workload, notes) = Map(hub, trace, mapping, startUnix);
        return (workload, report, notes);
    }

    /// <summary>The trace's jobs as it tells them, and what reading found.</summary>
    public static (List<TraceJob> Trace, TraceReadReport Report) Read(IEnumerable<string> paths, TraceFormat format, BadRowPolicy policy)
    {
        var report = new TraceReadReport();
        return (TraceReader.Read(ExpandPaths(paths), format, policy, report), report);
    }

    /// <summary>Trace jobs as hub jobs, and the notes on how they were mapped.</summary>
    public static (Workload Workload, IReadOnlyList<string> Notes) Map(HubModel hub, IReadOnlyList<TraceJob> trace, TraceMapping mapping, long startUnix)
    {
        var mapper = new JobMapper(hub, mapping);
        var workload = mapper.Map(trace, startUnix);
        return (workload, mapper.Notes);
    }

    /// <summary>Files as given; a folder stands for its *.csv files in name order.</summary>
    public static IReadOnlyList<string> ExpandPaths(IEnumerable<string> paths)
    {
        var files = new List<string>();
        foreach (var path in paths)
        {
            if (Directory.Exists(path))
            {
                files.AddRange(Directory.GetFiles(path, "*.csv").Order(StringComparer.Ordinal));
            }
            else
            {
                files.Add(path);
            }
        }
        return files;
    }

    /// <summary>Writes the bundled two-day ITP sample (ten cluster files) into <paramref name="folder"/> and returns the folder.</summary>
    public static string ExtractSample(string folder)
    {
        Directory.CreateDirectory(folder);
        var assembly = typeof(WorkloadLoader).Assembly;
        foreach (var name in assembly.GetManifestResourceNames().Where(n => n.StartsWith("itp-sample/", StringComparison.Ordinal)).Order(StringComparer.Ordinal))
        {
            using var source = assembly.GetManifestResourceStream(name)!;
            using var target = File.Create(Path.Combine(folder, name["itp-sample/".Length..]));
            source.CopyTo(target);
        }
        return folder;
    }
}
