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
}
