namespace Serai.Simulation.Traces;

/// <summary>
/// Philly job lists as published: timestamp,duration,num_gpus,gpu_time,cluster. The timestamp is a date and time
/// (<c>2017-10-09 07:01:55</c>, with or without a zone) or epoch seconds; the cluster (virtual cluster) is the tenant key.
/// </summary>
internal static class PhillyReader
{
    private static readonly string[] Required = ["timestamp", "duration", "num_gpus", "cluster"];

    public static void Read(string file, BadRowPolicy policy, TraceReadReport report, List<TraceJob> into)
    {
        var csv = new CsvRows(file, Required);
        var (time, duration, gpus, cluster) = (csv.Column("timestamp"), csv.Column("duration"), csv.Column("num_gpus"), csv.Column("cluster"));
        foreach (var (line, f) in csv.Rows())
        {
            if (!CsvRows.TryTime(f, time, out var s, out var error, "timestamp")
                || !CsvRows.TryLong(f, duration, out var d, out error, "duration")
                || !CsvRows.TryLong(f, gpus, out var g, out error, "num_gpus"))
            {
                TraceReader.Bad(policy, report, csv.DisplayName, line, error!);
                continue;
            }
            var tenant = CsvRows.Field(f, cluster);
            if (tenant.Length == 0)
            {
                TraceReader.Bad(policy, report, csv.DisplayName, line, "cluster is missing");
                continue;
            }
            if (RowChecks.Problem(s, d, g) is { } problem)
            {
                TraceReader.Bad(policy, report, csv.DisplayName, line, problem);
                continue;
            }
            into.Add(new TraceJob(null, s, d, (int)g, tenant));
        }
    }
}
