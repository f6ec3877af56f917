using System.Globalization;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Serai.Execution;
using Serai.Server.Persistence;

namespace Serai.Server.Apis;

/// <summary>`GET /api/v1/jobs/{id}/logs?stream=stdout|stderr&amp;offset=N`: text from a byte offset; X-Next-Offset says where to go on.</summary>
public static class JobLogs
{
    private const int MaxChunkBytes = 1 << 20;

    public static async Task<Results<FileContentHttpResult, NotFound<ProblemDetails>, ValidationProblem>> GetAsync(
        HttpContext context, string id, JobStore store, IExecutionBackend backend, string? stream, string? offset)
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
        var bytes = await ReadAsync(backend.LogPath(found.Row!.Id, which), from, context.RequestAborted);
        context.Response.Headers["X-Next-Offset"] = (from + bytes.Length).ToString(CultureInfo.InvariantCulture);
        context.Response.Headers["X-Job-State"] = found.Row.State;
        return TypedResults.File(bytes, "text/plain; charset=utf-8");
    }

    private static async Task<byte[]> ReadAsync(string? path, long from, CancellationToken cancellationToken)
    {
        if (path is null || !File.Exists(path))
        {
            return [];
        }
        await using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        if (from >= file.Length)
        {
            return [];
        }
        file.Position = from;
        var buffer = new byte[Math.Min(MaxChunkBytes, file.Length - from)];
        var read = await file.ReadAtLeastAsync(buffer, buffer.Length, throwOnEndOfStream: false, cancellationToken);
        return read == buffer.Length ? buffer : buffer[..read];
    }
}
