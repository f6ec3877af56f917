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
        var running = Running(jobId);
        var path = SlurmNames.OutputFile(_options.OutputDirectory, jobId, stream);
        return _runner is SshCommandRunner
            ? await ReadRemoteAsync(path, offsetBytes, maxBytes, running, cancellationToken).ConfigureAwait(false) ?? new LogChunk([], offsetBytes, running)
            : await ReadLocalAsync(path, offsetBytes, maxBytes, running, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// A job whose pattern named its output file: read with dd through the runner, as the user Serai submits as (the user
    /// the job ran as, who opened the file), never through a link at its end; the backend's own file when that fails.
    /// </summary>
    public async Task<LogChunk> ReadLogAsync(JobLogFile file, long offsetBytes, int maxBytes, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(file);
        if (file.Path is { } path && Path.IsPathRooted(path))
        {
            var chunk = await ReadRemoteAsync(path, offsetBytes, maxBytes, Running(file.JobId), cancellationToken).ConfigureAwait(false);
            if (chunk is not null)
            {
                return chunk;
            }
        }
        return await ReadLogAsync(file.Site, file.JobId, file.Stream, offsetBytes, maxBytes, cancellationToken).ConfigureAwait(false);
    }

    private bool Running(long jobId)
    {
        lock (_gate)
        {
            return _jobs.Values.Any(j => j.Job.JobId == jobId && !j.Finished);
        }
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

    private async Task<LogChunk?> ReadRemoteAsync(string path, long offsetBytes, int maxBytes, bool running, CancellationToken cancellationToken)
    {
        var result = await _runner.RunAsync("dd", LogChunk.DdArguments(path, offsetBytes, maxBytes), null, _options.CommandTimeout, cancellationToken, rawOutput: true).ConfigureAwait(false);
        return result.Ok ? LogChunk.FromDd(Encoding.Latin1.GetBytes(result.Stdout), offsetBytes, maxBytes, running) : null;
    }
}
