using System.Globalization;

namespace Serai.Simulation.Traces;

/// <summary>
/// Alibaba PAI's GPU trace of 2020 (cluster-trace-gpu-v2020) as published: <c>pai_task_table.csv</c> and
/// <c>pai_job_table.csv</c> without a header line (the column names are in the separate <c>.header</c> files; a
/// header line, if someone added one, is recognised and used). A job is the tasks of one <c>job_name</c>: it asks for
/// the sum of <c>inst_num × plan_gpu</c> (plan_gpu in percent of one GPU: 50 is half a GPU), so a job below one GPU
/// asks for a share of one (<see cref="TraceJob.GpuMilli"/>) and a larger one for whole GPUs, rounded up; it runs from
/// its first task's start to its last task's end on the <c>gpu_type</c> of its largest task (<c>MISC</c>, older
/// GPUs, is no model: it runs anywhere). Where <c>pai_job_table.csv</c> lies beside the task table, a job is
/// submitted at its <c>start_time</c> (the job table's submission time) and belongs to its <c>user</c>; else it is
/// submitted when its first task starts and all jobs belong to tenant key <c>pai</c>. Left out and counted: jobs
/// without GPUs, jobs none of whose tasks started, and jobs with a task that never ended. Other <c>pai_*</c> tables
/// given with them (instances, sensors, machines) are skipped.
/// </summary>
internal static class PaiReader
{
    public const string NoGpus = "PAI jobs without GPUs (plan_gpu 0 or empty)";
    public const string NeverRan = "PAI jobs none of whose tasks started";
    public const string NeverEnded = "PAI jobs with a task that never ended in the trace";

    private static readonly string[] TaskColumns = ["job_name", "task_name", "inst_num", "status", "start_time", "end_time", "plan_cpu", "plan_mem", "plan_gpu", "gpu_type"];
    private static readonly string[] JobColumns = ["job_name", "inst_id", "user", "status", "start_time", "end_time"];

    private sealed class JobSoFar(int line)
    {
        public int Line { get; } = line;
        public double GpuPercent { get; set; }
        public double LargestTask { get; set; } = -1;
        public string? GpuType { get; set; }
        public long? Start { get; set; }
        public long? End { get; set; }
        public bool Unended { get; set; }
    }

    /// <summary>Whether the file is a PAI table the reader uses or skips (by its published name).</summary>
    public static bool IsJobTable(string file) => Path.GetFileName(file).StartsWith("pai_job_table", StringComparison.OrdinalIgnoreCase);

    private static bool IsOtherTable(string file) =>
        Path.GetFileName(file).StartsWith("pai_", StringComparison.OrdinalIgnoreCase)
        && !Path.GetFileName(file).StartsWith("pai_task_table", StringComparison.OrdinalIgnoreCase) && !IsJobTable(file);

    public static void Read(IReadOnlyList<string> files, BadRowPolicy policy, TraceReadReport report, List<TraceJob> into)
    {
        var taskFiles = files.Where(f => !IsJobTable(f) && !IsOtherTable(f)).ToList();
        if (taskFiles.Count == 0)
        {
            throw new TraceFormatException(files.Count == 0 ? "(none)" : Path.GetFileName(files[0]), 0,
                "no PAI task table among the files; give pai_task_table.csv (pai_job_table.csv beside it adds submit times and users)");
        }
        var jobFile = files.FirstOrDefault(IsJobTable)
            ?? taskFiles.Select(f => Path.Combine(Path.GetDirectoryName(Path.GetFullPath(f))!, "pai_job_table.csv")).FirstOrDefault(File.Exists);
        var submitted = jobFile is null ? null : ReadJobTable(jobFile, policy, report);
        foreach (var file in taskFiles)
        {
            var jobs = ReadTaskTable(file, policy, report);
            foreach (var (name, job) in jobs.OrderBy(j => j.Value.Line))
            {
                if (job.GpuPercent <= 0)
                {
                    report.AddFiltered(NoGpus);
                    continue;
                }
                if (job.Start is null)
                {
                    report.AddFiltered(NeverRan);
                    continue;
                }
                if (job.Unended || job.End is null)
                {
                    report.AddFiltered(NeverEnded);
                    continue;
                }
                var (submit, user) = submitted is not null && submitted.TryGetValue(name, out var s) ? (Math.Min(s.Submit, job.Start.Value), s.User) : (job.Start.Value, "pai");
                var gpus = job.GpuPercent / 100;
                var (whole, milli) = gpus < 1 ? (1, Math.Clamp((int)Math.Round(gpus * 1000), 1, 999)) : ((int)Math.Ceiling(gpus - 1e-9), 0);
                var duration = Math.Max(1, job.End.Value - job.Start.Value);
                if (RowChecks.Problem(submit, duration, whole) is { } problem)
                {
                    TraceReader.Bad(policy, report, Path.GetFileName(file), job.Line, $"job {name}: {problem}");
                    continue;
                }
                var type = job.GpuType is null or "MISC" ? null : job.GpuType;
                into.Add(new TraceJob(name, submit, duration, whole, user, type, null, milli));
            }
        }
    }

    private static Dictionary<string, JobSoFar> ReadTaskTable(string file, BadRowPolicy policy, TraceReadReport report)
    {
        var csv = new CsvRows(file, ["job_name", "inst_num", "start_time", "end_time", "plan_gpu"], TaskColumns);
        var display = csv.DisplayName;
        var (job, instNum, startTime, endTime, planGpu, gpuType) =
            (csv.Column("job_name"), csv.Column("inst_num"), csv.Column("start_time"), csv.Column("end_time"), csv.Column("plan_gpu"), csv.Column("gpu_type"));
        var jobs = new Dictionary<string, JobSoFar>(StringComparer.Ordinal);
        foreach (var (line, f) in csv.Rows())
        {
            var name = CsvRows.Field(f, job);
            if (name.Length == 0)
            {
                TraceReader.Bad(policy, report, display, line, "job_name is missing");
                continue;
            }
            if (!TryNumber(f, instNum, "inst_num", out var instances, out var error, empty: 1)
                || !TryNumber(f, planGpu, "plan_gpu", out var percent, out error, empty: 0))
            {
                TraceReader.Bad(policy, report, display, line, error!);
                continue;
            }
            if (instances < 0 || percent < 0)
            {
                TraceReader.Bad(policy, report, display, line, $"inst_num {instances} and plan_gpu {percent} must not be negative");
                continue;
            }
            var (startText, endText) = (CsvRows.Field(f, startTime), CsvRows.Field(f, endTime));
            long? start = null, end = null;
            if (startText.Length > 0 && !TryInstant(startText, "start_time", out start, out error)
                || endText.Length > 0 && !TryInstant(endText, "end_time", out end, out error))
            {
                TraceReader.Bad(policy, report, display, line, error!);
                continue;
            }
            if (start is { } s && end is { } e && e < s)
            {
                TraceReader.Bad(policy, report, display, line, $"end_time {e} is before start_time {s}");
                continue;
            }
            if (!jobs.TryGetValue(name, out var soFar))
            {
                jobs[name] = soFar = new JobSoFar(line);
            }
            var taskGpus = instances * percent;
            soFar.GpuPercent += taskGpus;
            if (taskGpus > soFar.LargestTask)
            {
                soFar.LargestTask = taskGpus;
                soFar.GpuType = CsvRows.Field(f, gpuType) is { Length: > 0 } type ? type : null;
            }
            if (start is not null)
            {
                soFar.Start = soFar.Start is null ? start : Math.Min(soFar.Start.Value, start.Value);
                soFar.Unended |= end is null;
            }
            if (end is not null)
            {
                soFar.End = soFar.End is null ? end : Math.Max(soFar.End.Value, end.Value);
            }
        }
        return jobs;
    }

    private static Dictionary<string, (long Submit, string User)> ReadJobTable(string file, BadRowPolicy policy, TraceReadReport report)
    {
        var csv = new CsvRows(file, ["job_name", "user", "start_time", "end_time"], JobColumns);
        var (job, user, startTime) = (csv.Column("job_name"), csv.Column("user"), csv.Column("start_time"));
        var jobs = new Dictionary<string, (long, string)>(StringComparer.Ordinal);
        foreach (var (line, f) in csv.Rows())
        {
            var name = CsvRows.Field(f, job);
            var startText = CsvRows.Field(f, startTime);
            if (name.Length == 0 || startText.Length == 0)
            {
                continue; // a job the task table cannot place in time anyway
            }
            if (!TryInstant(startText, "start_time", out var submit, out var error))
            {
                TraceReader.Bad(policy, report, csv.DisplayName, line, error!);
                continue;
            }
            var owner = CsvRows.Field(f, user);
            jobs[name] = (submit!.Value, owner.Length == 0 ? "pai" : owner);
        }
        return jobs;
    }

    private static bool TryNumber(string[] fields, int column, string name, out double value, out string? error, double empty)
    {
        error = null;
        var text = CsvRows.Field(fields, column);
        if (text.Length == 0 || text.Equals("nan", StringComparison.OrdinalIgnoreCase))
        {
            value = empty;
            return true;
        }
        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out value) && double.IsFinite(value) && Math.Abs(value) < 1e12)
        {
            return true;
        }
        error = $"{name} '{text}' is not a number";
        return false;
    }

    private static bool TryInstant(string text, string name, out long? value, out string? error)
    {
        error = null;
        value = null;
        if (TraceTime.TryParse(text, out var parsed))
        {
            value = parsed;
            return true;
        }
        error = $"{name} '{text}' is not a time in seconds";
        return false;
    }
}
