namespace Serai.Execution.Slurm;

/// <summary>Stops: scancel, whose effect the next polls check (scancel exits 0 even for unknown ids).</summary>
public sealed partial class SlurmBackend
{
    private async Task SendCancelAsync(TrackedSlurmJob job)
    {
        job.LastCancelSent = _time.GetUtcNow();
        if (job.SlurmId.Length == 0)
        {
            return; // not yet identified (reattached while squeue failed): the next poll finds its id, then cancels
        }
        var args = new List<string> { job.SlurmId };
        if (_options.PassClusterFlag)
        {
            args.Add("--clusters=" + _options.Cluster);
        }
        await _runner.RunAsync("scancel", args, null, _options.CommandTimeout, CancellationToken.None).ConfigureAwait(false);
    }

    /// <summary>A stop for an attempt this backend does not watch (left from before a restart): find it by name, cancel it, or answer at once.</summary>
    private async Task StopUnwatchedAsync(JobRef job, StopKind kind)
    {
        Parsing.SlurmJobRecord? record = null;
        try
        {
            record = await FindAsync(job, null, _stopping.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is DispatchException or OperationCanceledException)
        {
            // Slurm did not answer: fall through and report it as not running here
        }
        if (record is not null && SlurmStates.Read(record).Phase != SlurmPhase.Ended)
        {
            var adopted = new TrackedSlurmJob(job, record.JobId) { SubmitTime = record.SubmitTime, Stopping = kind, WasRunningAtStop = true, LastState = record.State };
            var added = false;
            lock (_gate)
            {
                if (!_jobs.TryGetValue(job, out var other) || other.Finished)
                {
                    _jobs[job] = adopted;
                    added = true;
                }
            }
            if (added)
            {
                await SendCancelAsync(adopted).ConfigureAwait(false);
                return;
            }
        }
        Raise(new JobStopped(job, kind, false, $"{job} was not running at cluster '{_options.Cluster}'"));
    }
}
