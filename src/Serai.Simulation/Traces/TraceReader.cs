namespace Serai.Simulation.Traces;

/// <summary>Reads trace files of one format into <see cref="TraceJob"/>s, reporting bad rows with file and line.</summary>
public static class TraceReader
{
    /// <summary>Reads every file; rows of all files together, in file then line order.</summary>
    public static List<TraceJob> Read(IEnumerable<string> files, TraceFormat format, BadRowPolicy policy, TraceReadReport report)
    {
        var jobs = new List<TraceJob>();
        var list = files.ToList();
        if (list.FirstOrDefault(f => !File.Exists(f)) is { } missing)
        {
            throw new TraceFormatException(missing, 0, "no such file");
        }
        if (format == TraceFormat.Pai)
        {
            // a job's tasks may lie anywhere in the task table, and its submit time is in another file
            PaiReader.Read(list, policy, report, jobs);
            report.RowsRead += jobs.Count;
            return jobs;
        }
        foreach (var file in list)
        {
            var before = jobs.Count;
            switch (format)
            {
                case TraceFormat.Itp:
                    ItpReader.Read(file, policy, report, jobs);
                    break;
                case TraceFormat.Philly when PhillyJobLogReader.IsJobLog(file):
                    PhillyJobLogReader.Read(file, policy, report, jobs);
                    break;
                case TraceFormat.Philly:
                    PhillyReader.Read(file, policy, report, jobs);
                    break;
                case TraceFormat.Helios:
                    HeliosReader.Read(file, policy, report, jobs);
                    break;
                case TraceFormat.Alibaba:
                    AlibabaReader.Read(file, policy, report, jobs);
                    break;
            }
            report.RowsRead += jobs.Count - before;
        }
        return jobs;
    }

    public static TraceFormat ParseFormat(string text) => text.Trim().ToLowerInvariant() switch
    {
        "itp" => TraceFormat.Itp,
        "philly" => TraceFormat.Philly,
        "alibaba" => TraceFormat.Alibaba,
        "helios" or "acme" => TraceFormat.Helios,
        "pai" => TraceFormat.Pai,
        _ => throw new ArgumentException($"--format '{text}' is not known; allowed: itp, philly, alibaba, helios (also acme), pai"),
    };

    internal static void Bad(BadRowPolicy policy, TraceReadReport report, string file, int line, string message)
    {
        if (policy == BadRowPolicy.Fail)
        {
            throw new TraceFormatException(file, line, message + " (use --bad-rows skip to skip such rows)");
        }
        report.AddBad(new BadRow(file, line, message));
    }
}
