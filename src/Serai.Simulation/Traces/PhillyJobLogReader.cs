using System.Text.Json;

namespace Serai.Simulation.Traces;

/// <summary>
/// Microsoft's Philly job log as published in msr-fiddle/philly-traces (<c>cluster_job_log</c>): one JSON array of
/// jobs, each <c>{"status", "vc", "jobid", "user", "submitted_time", "attempts": [{"start_time", "end_time",
/// "detail": [{"ip", "gpus": ["gpu0", ...]}]}]}</c>, times as <c>2017-10-03 02:40:26</c> (or null / "None" when
/// there is none). A job asks for the GPUs of its first attempt that was placed (the trace's own definition), runs
/// for the time its attempts ran, summed (the waits between retries are not work), and belongs to its virtual
/// cluster (<c>vc</c>, the tenant key). Left out and counted: jobs that never ran (no attempt started), jobs still
/// running when the log ends (an attempt without an end) and jobs without GPUs. The file is read as a stream, one
/// job at a time; a bad job is reported as <c>file:N</c>, N counting jobs from 1.
/// </summary>
internal static class PhillyJobLogReader
{
    public const string NeverRan = "Philly jobs that never ran (no attempt started)";
    public const string NeverEnded = "Philly jobs still running when the log ends (an attempt without end_time)";
    public const string NoGpus = "Philly jobs without GPUs";

    /// <summary>Whether the file is the JSON job log rather than a CSV job list: its first visible character opens an array.</summary>
    public static bool IsJobLog(string file)
    {
        using var reader = new StreamReader(file);
        int c;
        while ((c = reader.Read()) >= 0)
        {
            if (!char.IsWhiteSpace((char)c) && c != '\uFEFF')
            {
                return c == '[';
            }
        }
        return false;
    }

    public static void Read(string file, BadRowPolicy policy, TraceReadReport report, List<TraceJob> into)
    {
        var display = Path.GetFileName(file);
        using var stream = File.OpenRead(file);
        var index = 0;
        try
        {
            foreach (var job in JsonSerializer.DeserializeAsyncEnumerable<JsonElement>(stream).ToBlockingEnumerable())
            {
                index++;
                if (Job(job, out var error) is { } read)
                {
                    into.Add(read);
                }
                else if (error is not null)
                {
                    TraceReader.Bad(policy, report, display, index, error);
                }
                else
                {
                    report.AddFiltered(Filtered(job));
                }
            }
        }
        catch (JsonException e)
        {
            // the rest of the file cannot be read: one bad row, the jobs before it stay
            TraceReader.Bad(policy, report, display, index + 1,
                $"not valid JSON after job {index} (line {e.LineNumber + 1}, byte {e.BytePositionInLine + 1}): {e.Message}; the rest of the file is not read");
        }
    }

    /// <summary>The job, or null with an error (bad) or without one (left out on purpose: see <see cref="Filtered"/>).</summary>
    private static TraceJob? Job(JsonElement job, out string? error)
    {
        error = null;
        if (job.ValueKind != JsonValueKind.Object)
        {
            error = $"a job must be a JSON object, not {job.ValueKind}";
            return null;
        }
        var id = Text(job, "jobid");
        var named = id is null ? "" : $"job {id}: ";
        var vc = Text(job, "vc");
        if (string.IsNullOrWhiteSpace(vc))
        {
            error = named + "vc (the virtual cluster, its tenant) is missing";
            return null;
        }
        if (Time(job, "submitted_time", out var submit) is { } submitError)
        {
            error = named + submitError;
            return null;
        }
        if (submit is null)
        {
            error = named + "submitted_time is missing";
            return null;
        }
        if (!job.TryGetProperty("attempts", out var attempts) || attempts.ValueKind == JsonValueKind.Null)
        {
            return null; // never ran
        }
        if (attempts.ValueKind != JsonValueKind.Array)
        {
            error = named + $"attempts must be an array, not {attempts.ValueKind}";
            return null;
        }
        long ran = 0;
        var started = false;
        var gpus = 0;
        foreach (var attempt in attempts.EnumerateArray())
        {
            if (attempt.ValueKind != JsonValueKind.Object)
            {
                error = named + "an attempt must be a JSON object";
                return null;
            }
            var startError = Time(attempt, "start_time", out var start);
            var endError = Time(attempt, "end_time", out var end);
            if ((startError ?? endError) is { } timeError)
            {
                error = named + timeError;
                return null;
            }
            if (start is null)
            {
                continue; // an attempt that was never placed
            }
            if (end is null)
            {
                return null; // still running at the end of the log
            }
            if (end < start)
            {
                error = named + $"an attempt ends ({end}) before it starts ({start})";
                return null;
            }
            started = true;
            ran += end.Value - start.Value;
            if (gpus == 0)
            {
                gpus = Gpus(attempt);
            }
        }
        if (!started || gpus == 0)
        {
            return null;
        }
        if (RowChecks.Problem(submit.Value, Math.Max(1, ran), gpus) is { } problem)
        {
            error = named + problem;
            return null;
        }
        return new TraceJob(id, submit.Value, Math.Max(1, ran), gpus, vc.Trim());
    }

    private static string Filtered(JsonElement job)
    {
        if (!job.TryGetProperty("attempts", out var attempts) || attempts.ValueKind != JsonValueKind.Array)
        {
            return NeverRan;
        }
        var anyStart = false;
        foreach (var attempt in attempts.EnumerateArray())
        {
            Time(attempt, "start_time", out var start);
            Time(attempt, "end_time", out var end);
            if (start is not null && end is null)
            {
                return NeverEnded;
            }
            anyStart |= start is not null;
        }
        return anyStart ? NoGpus : NeverRan;
    }

    private static int Gpus(JsonElement attempt)
    {
        if (!attempt.TryGetProperty("detail", out var detail) || detail.ValueKind != JsonValueKind.Array)
        {
            return 0;
        }
        var count = 0;
        foreach (var machine in detail.EnumerateArray())
        {
            if (machine.ValueKind == JsonValueKind.Object && machine.TryGetProperty("gpus", out var list) && list.ValueKind == JsonValueKind.Array)
            {
                count += list.GetArrayLength();
            }
        }
        return count;
    }

    private static string? Text(JsonElement obj, string name) =>
        obj.TryGetProperty(name, out var value) ? value.ValueKind switch
        {
            JsonValueKind.String => value.GetString(),
            JsonValueKind.Number => value.GetRawText(),
            _ => null,
        } : null;

    /// <summary>An instant, or null when there is none (missing, null, "None", empty); an error when it is no time.</summary>
    private static string? Time(JsonElement obj, string name, out long? unixSeconds)
    {
        unixSeconds = null;
        if (obj.ValueKind != JsonValueKind.Object || !obj.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }
        var text = value.ValueKind switch
        {
            JsonValueKind.String => value.GetString()!.Trim(),
            JsonValueKind.Number => value.GetRawText(),
            _ => null,
        };
        if (text is null)
        {
            return $"{name} must be a date and time, not {value.ValueKind}";
        }
        if (text.Length == 0 || text.Equals("None", StringComparison.OrdinalIgnoreCase) || text.Equals("null", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }
        if (!TraceTime.TryParse(text, out var parsed))
        {
            return $"{name} '{Trim(text)}' is neither epoch seconds nor a date and time such as 2017-10-03 02:40:26";
        }
        unixSeconds = parsed;
        return null;
    }

    private static string Trim(string text) => text.Length <= 60 ? text : text[..60] + "...";
}
