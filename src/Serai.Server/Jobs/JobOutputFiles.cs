using System.Globalization;
using System.Text.Json;
using Serai.Execution;
using Serai.Server.Apis;

namespace Serai.Server.Jobs;

/// <summary>
/// A job's output patterns (<c>output</c>, <c>error</c> of a submission, as sbatch's <c>--output</c> and <c>--error</c>):
/// checked when submitted, expanded for one job when it is shown, dispatched or its logs are read.
/// </summary>
public static class JobOutputFiles
{
    /// <summary>The files the job's patterns name: absolute when the job names a working directory; stderr goes with stdout when only output is given (as sbatch).</summary>
    public static (string? Output, string? Error) For(JobRequest request, long jobId)
    {
        ArgumentNullException.ThrowIfNull(request);
        var names = new OutputNames(jobId, request.ArrayJobId, request.ArrayTaskId, request.Name ?? CommandName(request.Command), request.Tenant);
        string? Expand(string? pattern) => pattern is null ? null
            : request.WorkingDirectory is { } dir ? OutputPattern.Resolve(OutputPattern.Expand(pattern, names), dir)
            : OutputPattern.Expand(pattern, names);
        var output = Expand(request.Output);
        return (output, request.Error is null ? output : Expand(request.Error));
    }

    /// <summary>The file of one stream, or null for the backend's own log.</summary>
    public static string? For(JobRequest request, long jobId, LogStream stream) =>
        stream == LogStream.Stdout ? For(request, jobId).Output : For(request, jobId).Error;

    /// <summary>What %x stands for in a job without a name: its command's file name (sbatch uses its script's).</summary>
    public static string CommandName(IReadOnlyList<string>? command) =>
        command is { Count: > 0 } && Path.GetFileName(command[0]) is { Length: > 0 } file ? file : "job";

    /// <summary>A pattern field of a submission, checked; an error names the field, the value and what is allowed.</summary>
    internal static string? Pattern(JsonElement body, string field, bool array, string jobName, string? tenant, FieldErrors errors)
    {
        if (!body.TryGetProperty(field, out var v) || v.ValueKind == JsonValueKind.Null)
        {
            return null;
        }
        if (v.ValueKind != JsonValueKind.String)
        {
            errors.Add(field, $"expected a file name pattern (a string), got {v.ValueKind}");
            return null;
        }
        var pattern = v.GetString()!;
        var problem = OutputPattern.Check(pattern, array);
        if (problem is null && OutputPattern.Expand(pattern, new OutputNames(long.MaxValue, long.MaxValue, int.MaxValue, jobName, tenant ?? "")).Length is var length
            && length > OutputPattern.MaxLength)
        {
            problem = $"may expand to {length} characters; a path has at most {OutputPattern.MaxLength}";
        }
        if (problem is not null)
        {
            errors.Add(field, $"{Show(pattern)} {problem}");
            return null;
        }
        return pattern;
    }

    // quoted, with control characters as \uXXXX (a NUL or a newline never reaches a message raw), cut at 60 characters
    private static string Show(string pattern)
    {
        var text = new System.Text.StringBuilder("'");
        foreach (var c in pattern.Length > 60 ? pattern[..60] + "…" : pattern)
        {
            text.Append(char.IsControl(c) ? string.Create(CultureInfo.InvariantCulture, $"\\u{(int)c:X4}") : c.ToString());
        }
        return text.Append('\'').ToString();
    }
}
