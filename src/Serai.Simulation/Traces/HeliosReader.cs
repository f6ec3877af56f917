namespace Serai.Simulation.Traces;

/// <summary>
/// Job logs kept from Slurm accounting, as SenseTime's Helios traces (HeliosData, <c>cluster_log.csv</c> of Venus,
/// Earth, Saturn and Uranus) and Shanghai AI Lab's AcmeTrace (<c>trace_seren.csv</c>, <c>trace_kalos.csv</c>) publish
/// them: one row per job with <c>gpu_num</c>, <c>submit_time</c> (a date and time or epoch seconds) and either
/// <c>duration</c> in seconds or <c>start_time</c> and <c>end_time</c>; the tenant key is the virtual cluster
/// (<c>vc</c>) where the file has one, else the <c>user</c>. Left out and counted: jobs without GPUs (these logs keep
/// CPU jobs too), jobs that never ran (no start, or a state of PENDING, or CANCELLED before they started) and jobs still
/// RUNNING when the log ends. A job that ran for under a second counts one second.
/// </summary>
internal static class HeliosReader
{
    public const string NoGpus = "jobs without GPUs (gpu_num 0)";
    public const string NeverRan = "jobs that never ran (no start_time, PENDING, or cancelled before starting)";
    public const string NeverEnded = "jobs still RUNNING when the log ends";

    private static readonly string[] Required = ["submit_time", "gpu_num"];

    public static void Read(string file, BadRowPolicy policy, TraceReadReport report, List<TraceJob> into)
    {
        var csv = new CsvRows(file, Required);
        var (submitted, gpus, duration, started, ended) =
            (csv.Column("submit_time"), csv.Column("gpu_num"), csv.Column("duration"), csv.Column("start_time"), csv.Column("end_time"));
        var (state, tenant, id) = (csv.Column("state"), csv.Column("vc") >= 0 ? csv.Column("vc") : csv.Column("user"), csv.Column("job_id"));
        if (duration < 0 && (started < 0 || ended < 0))
        {
            throw new TraceFormatException(csv.DisplayName, 1, "missing column(s): the header must name duration, or start_time and end_time");
        }
        if (tenant < 0)
        {
            throw new TraceFormatException(csv.DisplayName, 1, "missing column(s): the header must name vc or user (the tenant key)");
        }
        foreach (var (line, f) in csv.Rows())
        {
            if (!CsvRows.TryTime(f, submitted, out var submit, out var error, "submit_time")
                || !CsvRows.TryLong(f, gpus, out var g, out error, "gpu_num"))
            {
                TraceReader.Bad(policy, report, csv.DisplayName, line, error!);
                continue;
            }
            var status = CsvRows.Field(f, state).ToUpperInvariant();
            if (g == 0)
            {
                report.AddFiltered(NoGpus);
                continue;
            }
            if (status == "PENDING")
            {
                report.AddFiltered(NeverRan);
                continue;
            }
            if (status == "RUNNING")
            {
                report.AddFiltered(NeverEnded);
                continue;
            }
            var (seconds, problemOrNull, leftOut) = Ran(f, duration, started, ended);
            if (problemOrNull is { } bad)
            {
                TraceReader.Bad(policy, report, csv.DisplayName, line, bad);
                continue;
            }
            if (leftOut is null && seconds == 0 && status.StartsWith("CANCELLED", StringComparison.Ordinal))
            {
                leftOut = NeverRan;
            }
            if (leftOut is not null)
            {
                report.AddFiltered(leftOut);
                continue;
            }
            var key = CsvRows.Field(f, tenant);
            if (RowChecks.Problem(submit, Math.Max(1, seconds), g) is { } problem)
            {
                TraceReader.Bad(policy, report, csv.DisplayName, line, problem);
                continue;
            }
            var name = CsvRows.Field(f, id);
            into.Add(new TraceJob(name.Length == 0 ? null : name, submit, Math.Max(1, seconds), (int)g, key.Length == 0 ? "default" : key));
        }
    }

    /// <summary>
    /// How long the job ran: the duration column where the row has it, else end − start. A bad figure gives an error; a
    /// row without a start, or without an end and a duration, gives the reason it is left out.
    /// </summary>
    private static (long Seconds, string? Error, string? LeftOut) Ran(string[] f, int duration, int started, int ended)
    {
        if (started >= 0 && CsvRows.Field(f, started).Length == 0)
        {
            return (0, null, NeverRan);
        }
        if (duration >= 0 && CsvRows.Field(f, duration).Length > 0)
        {
            if (!CsvRows.TryLong(f, duration, out var seconds, out var error, "duration"))
            {
                return (0, error, null);
            }
            return seconds < 0 ? (0, $"duration {seconds} s is negative", null) : (seconds, null, null);
        }
        if (started < 0 || ended < 0)
        {
            return (0, "duration is missing and the file has no start_time and end_time to take it from", null);
        }
        if (CsvRows.Field(f, ended).Length == 0)
        {
            return (0, null, NeverEnded);
        }
        if (!CsvRows.TryTime(f, started, out var start, out var timeError, "start_time") || !CsvRows.TryTime(f, ended, out var end, out timeError, "end_time"))
        {
            return (0, timeError, null);
        }
        return end < start ? (0, $"end_time is {start - end} s before start_time", null) : (end - start, null, null);
    }
}
