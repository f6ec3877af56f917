using System.Globalization;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Serai.Execution;
using Serai.Server.Jobs;
using Serai.Server.Persistence;

namespace Serai.Server.Apis;

/// <summary>`GET /api/v1/jobs/{id}/logs?stream=stdout|stderr&amp;offset=N`: text from a byte offset; X-Next-Offset says where to go on.</summary>
public static class JobLogs
{
    private const int MaxChunkBytes = 1 << 20;

    public static async Task<Results<FileContentHttpResult, NotFound<ProblemDetails>, ValidationProblem>> GetAsync(
        HttpContext context, string id, JobStore store, BackendRouter backends, string? stream, string? offset)
    {
        var errors = new FieldErrors();
        var which = LogStream.Stdout;
        if (stream is not null && !Enum.TryParse(stream, ignoreCase: true, out which))
        {
            errors.Add("stream", $"'{ApiIds.Trim(stream)}' is not a log stream; allowed: stdout, stderr");
        }
        long from = 0;
        if (offset is not null && !long.TryParse(offset, NumberStyles.None, CultureInfo.InvariantCulture, out from))
        {
            errors.Add("offset", $"'{ApiIds.Trim(offset)}' is not a byte offset; give an integer of 0 or more");
        }
        if (errors.Any)
        {
            return errors.ToProblem("invalid log query");
        }
        var found = await JobsApi.FindAsync(context, id, store);
        if (found.Invalid is { } invalid)
        {
            return invalid;
        }
        if (found.Missing is { } missing)
        {
            return missing;
        }
        var row = found.Row!;
        var chunk = await ReadAsync(backends, row, which, from, context.RequestAborted);
        context.Response.Headers["X-Next-Offset"] = chunk.NextOffsetBytes.ToString(CultureInfo.InvariantCulture);
        context.Response.Headers["X-Job-State"] = row.State;
        return TypedResults.File(chunk.Bytes, "text/plain; charset=utf-8");
    }

    /// <summary>
    /// From the job's site. A requeued job names no site until it is placed again, yet its earlier attempts wrote output:
    /// the backends are asked in turn (one shared local backend answers at once). A job never dispatched has no output.
    /// </summary>
    private static async Task<LogChunk> ReadAsync(BackendRouter backends, JobRow row, LogStream stream, long from, CancellationToken cancellationToken)
    {
        // a job whose pattern named its output file: the backend reads that file, as the job's account could
        var path = System.Text.Json.JsonSerializer.Deserialize<JobRequest>(row.Spec) is { } request ? JobOutputFiles.For(request, row.Id, stream) : null;
        JobLogFile At(string site) => new(site, row.Id, row.Tenant, stream, path);
        if (row.Site is { } site && backends.Serves(site))
        {
            return await backends.ReadLogAsync(At(site), from, MaxChunkBytes, cancellationToken);
        }
        if (row.Preemptions > 0)
        {
            foreach (var candidate in backends.Sites)
            {
                var chunk = await backends.ReadLogAsync(At(candidate), from, MaxChunkBytes, cancellationToken);
                if (chunk.Bytes.Length > 0 || chunk.NextOffsetBytes != from)
                {
                    return chunk;
                }
            }
        }
        return LogChunk.Empty(from);
    }
}
