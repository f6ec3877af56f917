using System.Globalization;
using System.Text;
using Serai.Execution.Slurm.Commands;

namespace Serai.Execution.Slurm;

/// <summary>Reading a job's Slurm output file: straight from the file system when local, with <c>dd</c> over the runner when remote.</summary>
public sealed partial class SlurmBackend
{
    public async Task<LogChunk> ReadLogAsync(string site, long jobId, LogStream stream, long offsetBytes, int maxBytes, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(offsetBytes);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxBytes);
        bool running;
        lock (_gate)
        {
            running = _jobs.Values.Any(j => j.Job.JobId == jobId && !j.Finished);
        }
        var path = SlurmNames.OutputFile(_options.OutputDirectory, jobId, stream);
        return _runner is SshCommandRunner
            ? await ReadRemoteAsync(path, offsetBytes, maxBytes, running, cancellationToken).ConfigureAwait(false)
            : await ReadLocalAsync(path, offsetBytes, maxBytes, running, cancellationToken).ConfigureAwait(false);
    }

    private static async Task<LogChunk> ReadLocalAsync(string path, long offsetBytes, int maxBytes, bool running, CancellationToken cancellationToken)
    {
        try
        {
            return await LogChunk.ReadFileAsync(path, offsetBytes, maxBytes, running, cancellationToken).ConfigureAwait(false);
        }
        catch (UnauthorizedAccessException)
        {
            return new LogChunk([], offsetBytes, running); // Slurm wrote it as another user
        }
    }

    private async Task<LogChunk> ReadRemoteAsync(string path, long offsetBytes, int maxBytes, bool running, CancellationToken cancellationToken)
    {
        string[] args = ["if=" + path, "iflag=skip_bytes,count_bytes", "skip=" + offsetBytes.ToString(CultureInfo.InvariantCulture),
            "count=" + maxBytes.ToString(CultureInfo.InvariantCulture), "status=none"];
        var result = await _runner.RunAsync("dd", args, null, _options.CommandTimeout, cancellationToken, rawOutput: true).ConfigureAwait(false);
        if (!result.Ok)
        {
            return new LogChunk([], offsetBytes, running);
        }
        var bytes = Encoding.Latin1.GetBytes(result.Stdout);
        return new LogChunk(bytes, offsetBytes + bytes.Length, running || bytes.Length == maxBytes);
    }
}
