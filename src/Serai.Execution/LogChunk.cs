namespace Serai.Execution;

/// <summary>Which output stream of a job.</summary>
public enum LogStream
{
    Stdout,
    Stderr,
}

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
}
