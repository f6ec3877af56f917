namespace Serai.Simulation.Traces;

/// <summary>Reads trace files of one format into <see cref="TraceJob"/>s, reporting bad rows with file and line.</summary>
public static class TraceReader
{
    /// <summary>Reads every file; rows of all files together, in file then line order.</summary>
    public static List<TraceJob> Read(IEnumerable<string> files, TraceFormat format, BadRowPolicy policy, TraceReadReport report)
    {
        var jobs = new List<TraceJob>();
        foreach (var file in files)
        {
            if (!File.Exists(file))
            {
                throw new TraceFormatException(file, 0, "no such file");
            }
            var before = jobs.Count;
            switch (format)
            {
                case TraceFormat.Itp:
                    ItpReader.Read(file, policy, report, jobs);
                    break;
                case TraceFormat.Philly:
                    PhillyReader.Read(file, policy, report, jobs);
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
        _ => throw new ArgumentException($"--format '{text}' is not known; allowed: itp, philly, alibaba"),
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
