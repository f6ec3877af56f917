namespace Serai.Simulation.Traces;

/// <summary>
/// Alibaba GPU pod lists (cluster-trace-gpu-v2023, <c>openb_pod_list_*.csv</c>):
/// name,cpu_milli,memory_mib,num_gpu,gpu_milli,gpu_spec,qos,pod_phase,creation_time,deletion_time,scheduled_time.
/// A pod runs from scheduled_time to deletion_time. <c>gpu_milli</c> is the share of each GPU in thousandths; a pod
/// of one GPU below 1000 asks for a fraction of it (kept in <see cref="TraceJob.GpuMilli"/>). Left out and counted:
/// pods without GPUs, pods that never ran (phase Pending, or no scheduled_time) and pods that never ended.
/// The QoS class is the tenant key unless the mapping says otherwise.
/// </summary>
internal static class AlibabaReader
{
    public const string NeverRan = "pods that never ran (pod_phase Pending or no scheduled_time)";
    public const string NoGpus = "pods without GPUs";
    public const string NeverEnded = "pods with no deletion_time (never ended in the trace)";

    private static readonly string[] Required = ["name", "num_gpu", "gpu_spec", "qos", "creation_time", "deletion_time", "scheduled_time"];

    public static void Read(string file, BadRowPolicy policy, TraceReadReport report, List<TraceJob> into)
    {
        var csv = new CsvRows(file, Required);
        var (name, gpus, milli, spec, qos, phase) = (csv.Column("name"), csv.Column("num_gpu"), csv.Column("gpu_milli"), csv.Column("gpu_spec"), csv.Column("qos"), csv.Column("pod_phase"));
        var (created, deleted, scheduled) = (csv.Column("creation_time"), csv.Column("deletion_time"), csv.Column("scheduled_time"));
        foreach (var (line, f) in csv.Rows())
        {
            if (!CsvRows.TryLong(f, gpus, out var g, out var error, "num_gpu")
                || !CsvRows.TryLong(f, created, out var c, out error, "creation_time")
                || !CsvRows.TryLong(f, deleted, out var d, out error, "deletion_time", allowEmpty: true)
                || !CsvRows.TryLong(f, scheduled, out var s, out error, "scheduled_time", allowEmpty: true)
                || !CsvRows.TryLong(f, milli, out var m, out error, "gpu_milli", allowEmpty: true))
            {
                TraceReader.Bad(policy, report, csv.DisplayName, line, error!);
                continue;
            }
            if (g == 0)
            {
                report.AddFiltered(NoGpus);
                continue;
            }
            if (s == long.MinValue || string.Equals(CsvRows.Field(f, phase), "Pending", StringComparison.OrdinalIgnoreCase))
            {
                report.AddFiltered(NeverRan);
                continue;
            }
            if (d == long.MinValue)
            {
                report.AddFiltered(NeverEnded);
                continue;
            }
            if (d < s)
            {
                TraceReader.Bad(policy, report, csv.DisplayName, line, $"deletion_time {d} is before scheduled_time {s}");
                continue;
            }
            if (m != long.MinValue && m is < 0 or > 1000)
            {
                TraceReader.Bad(policy, report, csv.DisplayName, line, $"gpu_milli {m} must be between 0 and 1000 (thousandths of one GPU)");
                continue;
            }
            if (RowChecks.Problem(c, Math.Max(1, d - s), g) is { } problem)
            {
                TraceReader.Bad(policy, report, csv.DisplayName, line, problem);
                continue;
            }
            var share = m is > 0 and < 1000 && g == 1 ? (int)m : 0;
            var qosText = CsvRows.Field(f, qos);
            into.Add(new TraceJob(CsvRows.Field(f, name), c, Math.Max(1, d - s), (int)g, qosText.Length == 0 ? "default" : qosText, CsvRows.Field(f, spec), qosText, share));
        }
    }
}
