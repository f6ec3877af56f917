using Microsoft.AspNetCore.Http.Features;

namespace Serai.Server.Middleware;

/// <summary>
/// Every request body is at most <see cref="MaxBytes"/>: one that says it is larger is answered 413 before it is read,
/// and one that turns out larger while it is read (chunked) fails the read with a 413 that the exception handler
/// turns into a ProblemDetails naming the body. Kestrel has the same limit; this also holds in front of any other
/// server (the in-memory test server has none).
/// </summary>
public static class RequestBodyLimit
{
    public const int MaxBytes = 1 << 20;

    public static IApplicationBuilder UseRequestBodyLimit(this IApplicationBuilder app) =>
        app.Use(async (context, next) =>
        {
            if (context.Request.ContentLength > MaxBytes)
            {
                await Results.Problem(statusCode: StatusCodes.Status413PayloadTooLarge, title: "request body too large",
                        detail: $"body: {context.Request.ContentLength} bytes is too large; at most {MaxBytes}")
                    .ExecuteAsync(context).ConfigureAwait(false);
                return;
            }
            if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } size)
            {
                size.MaxRequestBodySize = MaxBytes;
            }
            context.Request.Body = new LimitedStream(context.Request.Body, MaxBytes);
            await next(context).ConfigureAwait(false);
        });

    /// <summary>The problem for a request that failed because of what the client sent (a body over the limit, a malformed request).</summary>
    public static void Describe(ProblemDetailsContext context)
    {
        if (context.Exception is BadHttpRequestException bad)
        {
            context.ProblemDetails.Status = bad.StatusCode;
            context.ProblemDetails.Title = bad.StatusCode == StatusCodes.Status413PayloadTooLarge ? "request body too large" : "bad request";
            context.ProblemDetails.Detail = bad.StatusCode == StatusCodes.Status413PayloadTooLarge
                ? $"body: larger than {MaxBytes} bytes"
                : $"request: {bad.Message}";
        }
    }

    /// <summary>Reads through to the request body and fails with a 413 once more than the limit has come.</summary>
    private sealed class LimitedStream(Stream inner, long limit) : Stream
    {
        private long _read;

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();

        public override long Position
        {
            get => _read;
            set => throw new NotSupportedException();
        }

        public override int Read(byte[] buffer, int offset, int count) => Count(inner.Read(buffer, offset, count));

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            Count(await inner.ReadAsync(buffer, cancellationToken).ConfigureAwait(false));

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        private int Count(int read)
        {
            _read += read;
            if (_read > limit)
            {
                throw new BadHttpRequestException($"Request body too large. The max request body size is {limit} bytes.", StatusCodes.Status413PayloadTooLarge);
            }
            return read;
        }
    }
}
