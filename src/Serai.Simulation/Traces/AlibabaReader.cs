namespace Serai.Simulation.Traces;

/// <summary>
/// Alibaba GPU pod traces. A pod runs from scheduled_time (or creation_time) to deletion_time; fractional GPUs
/// (gpu_milli below 1000) take a whole GPU, as the hub does not share GPUs. Pods without GPUs and pods that never
/// ended are left out and counted. The QoS class is the tenant key unless the mapping says otherwise.
/// </summary>
internal static class AlibabaReader
{
    private static readonly string[] Required = ["name", "num_gpu", "gpu_spec", "qos", "creation_time", "deletion_time", "scheduled_time"];

    public static void Read(string file, BadRowPolicy policy, TraceReadReport report, List<TraceJob> into)
    {
        var csv = new CsvRows(file, Required);
        var (name, gpus, spec, qos) = (csv.Column("name"), csv.Column("num_gpu"), csv.Column("gpu_spec"), csv.Column("qos"));
        var (created, deleted, scheduled) = (csv.Column("creation_time"), csv.Column("deletion_time"), csv.Column("scheduled_time"));
        foreach (var (line, f) in csv.Rows())
        {
            if (!CsvRows.TryLong(f, gpus, out var g, out var error, "num_gpu")
                || !CsvRows.TryLong(f, created, out var c, out error, "creation_time")
                || !CsvRows.TryLong(f, deleted, out var d, out error, "deletion_time", allowEmpty: true)
                || !CsvRows.TryLong(f, scheduled, out var s, out error, "scheduled_time", allowEmpty: true))
            {
                TraceReader.Bad(policy, report, csv.DisplayName, line, error!);
                continue;
            }
            if (g == 0)
            {
                report.AddFiltered("pods without GPUs");
                continue;
            }
            if (d == long.MinValue)
            {
                report.AddFiltered("pods with no deletion_time (never ended in the trace)");
                continue;
            }
            var start = s == long.MinValue ? c : s;
            if (d < start)
            {
                TraceReader.Bad(policy, report, csv.DisplayName, line, $"deletion_time {d} is before the start {start}");
                continue;
            }
            if (RowChecks.Problem(c, Math.Max(1, d - start), g) is { } problem)
            {
                TraceReader.Bad(policy, report, csv.DisplayName, line, problem);
                continue;
            }
            var qosText = CsvRows.Field(f, qos);
            into.Add(new TraceJob(CsvRows.Field(f, name), c, Math.Max(1, d - start), (int)g, qosText.Length == 0 ? "default" : qosText, CsvRows.Field(f, spec), qosText));
        }
    }
}
