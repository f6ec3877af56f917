namespace Serai.Simulation.Traces;

/// <summary>Microsoft ITP traces: job_id,submission_time,duration,num_gpu; the file name (cluster01) is the tenant key.</summary>
internal static class ItpReader
{
    private static readonly string[] Required = ["job_id", "submission_time", "duration", "num_gpu"];

    public static void Read(string file, BadRowPolicy policy, TraceReadReport report, List<TraceJob> into)
    {
        var csv = new CsvRows(file, Required);
        var (id, submit, duration, gpus) = (csv.Column("job_id"), csv.Column("submission_time"), csv.Column("duration"), csv.Column("num_gpu"));
        var tenant = Path.GetFileNameWithoutExtension(file);
        foreach (var (line, f) in csv.Rows())
        {
            if (!CsvRows.TryLong(f, submit, out var s, out var error, "submission_time")
                || !CsvRows.TryLong(f, duration, out var d, out error, "duration")
                || !CsvRows.TryLong(f, gpus, out var g, out error, "num_gpu"))
            {
                TraceReader.Bad(policy, report, csv.DisplayName, line, error!);
                continue;
            }
            if (RowChecks.Problem(s, d, g) is { } problem)
            {
                TraceReader.Bad(policy, report, csv.DisplayName, line, problem);
                continue;
            }
            into.Add(new TraceJob(CsvRows.Field(f, id), s, d, (int)g, tenant));
        }
    }
}

/// <summary>Range checks shared by the readers.</summary>
internal static class RowChecks
{
    public const int MaxGpus = 100_000;

    public static string? Problem(long submit, long duration, long gpus)
    {
        if (submit < 0)
        {
            return $"submit time {submit} is negative";
        }
        if (duration <= 0)
        {
            return $"duration {duration} s must be positive";
        }
        if (gpus is < 1 or > MaxGpus)
        {
            return $"GPU count {gpus} must be between 1 and {MaxGpus}";
        }
        return null;
    }
}
