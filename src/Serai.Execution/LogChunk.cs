namespace Serai.Execution;

/// <summary>Which output stream of a job.</summary>
public enum LogStream
{
    Stdout,
    Stderr,
}

/// <summary>
/// One output stream of a job to read: at its site, for its tenant, and the file its output pattern named (expanded;
/// relative to the job's own directory when it named no working directory), or null for the backend's own log.
/// </summary>
public sealed record JobLogFile(string Site, long JobId, string Tenant, LogStream Stream, string? Path = null);

/// <summary>
/// Bytes of a job's output from an offset; read on at <see cref="NextOffsetBytes"/>. <see cref="MoreMayCome"/> is false once
/// the end was reached and no attempt of the job runs at the backend (a requeued job may still write more later).
/// </summary>
public sealed record LogChunk(byte[] Bytes, long NextOffsetBytes, bool MoreMayCome)
{
    public static LogChunk Empty(long offsetBytes) => new([], offsetBytes, false);

    /// <summary>
    /// Reads up to <paramref name="maxBytes"/> of a log file on this machine from <paramref name="offsetBytes"/>; a file
    /// not there yet reads as empty. More may come while the job <paramref name="running"/> or the file goes on.
    /// </summary>
    public static async Task<LogChunk> ReadFileAsync(string path, long offsetBytes, int maxBytes, bool running, CancellationToken cancellationToken)
    {
        FileStream file;
        try
        {
            file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return new LogChunk([], offsetBytes, running);
        }
        await using (file.ConfigureAwait(false))
        {
            var length = file.Length;
            if (offsetBytes >= length)
            {
                return new LogChunk([], offsetBytes, running);
            }
            file.Position = offsetBytes;
            var buffer = new byte[Math.Min(maxBytes, length - offsetBytes)];
            var read = await file.ReadAtLeastAsync(buffer, buffer.Length, throwOnEndOfStream: false, cancellationToken).ConfigureAwait(false);
            var next = offsetBytes + read;
            return new LogChunk(read == buffer.Length ? buffer : buffer[..read], next, running || next < length);
        }
    }

    /// <summary>
    /// The arguments of a <c>dd</c> that reads up to <paramref name="maxBytes"/> of <paramref name="path"/> from
    /// <paramref name="offsetBytes"/>, never through a symbolic link at its end and never waiting on a FIFO.
    /// </summary>
    public static IReadOnlyList<string> DdArguments(string path, long offsetBytes, int maxBytes) =>
    [
        "if=" + path, "bs=65536", "iflag=skip_bytes,count_bytes,nofollow,nonblock",
        "skip=" + offsetBytes.ToString(System.Globalization.CultureInfo.InvariantCulture),
        "count=" + maxBytes.ToString(System.Globalization.CultureInfo.InvariantCulture), "status=none",
    ];

    /// <summary>What such a <c>dd</c> printed: more may come while the job runs or the chunk was full.</summary>
    public static LogChunk FromDd(byte[] bytes, long offsetBytes, int maxBytes, bool running) =>
        new(bytes, offsetBytes + bytes.Length, running || bytes.Length == maxBytes);
}
