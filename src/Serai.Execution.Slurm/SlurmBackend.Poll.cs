using Serai.Execution.Slurm.Commands;
using Serai.Execution.Slurm.Parsing;

namespace Serai.Execution.Slurm;

/// <summary>The poll: one squeue for all watched jobs, one sacct for those that left it, one sinfo for the nodes, per interval.</summary>
public sealed partial class SlurmBackend
{
    private int _failedPolls;
    private bool _siteDown;

    /// <summary>Polls until disposed; a failed poll is retried at the next interval, never read as "jobs gone".</summary>
    private async Task PollLoopAsync()
    {
        while (!_stopping.IsCancellationRequested)
        {
            var started = _time.GetTimestamp();
            try
            {
                await PollOnceAsync(_stopping.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
            {
                return;
            }
            try
            {
                // one round per interval, however long its commands took (a fifth of the interval at least between rounds)
                var rest = _options.PollInterval - _time.GetElapsedTime(started);
                await Task.Delay(rest > _options.PollInterval / 5 ? rest : _options.PollInterval / 5, _time, _stopping.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <summary>
    /// One round: nodes, then jobs, so that a node going down is reported before the node failures of its jobs (Serai
    /// then places them again elsewhere, not on the dead node). Public for tests and tools that drive polling themselves.
    /// </summary>
    /// <remarks>
    /// sinfo and squeue run at the same time (a round costs the slower of the two, not both); the nodes are still acted
    /// on first, and a node failure squeue shows that this round's sinfo missed makes sinfo run again before it.
    /// </remarks>
    public async Task PollOnceAsync(CancellationToken cancellationToken)
    {
        List<TrackedSlurmJob> watched;
        lock (_gate)
        {
            watched = [.. _jobs.Values.Where(j => !j.Finished)];
        }
        var query = _runner.RunAsync("squeue", SqueueFormat.QueryArguments(_options), null, _options.CommandTimeout, cancellationToken);
        await PollNodesAsync(cancellationToken).ConfigureAwait(false);
        await PollJobsAsync(watched, await query.ConfigureAwait(false), cancellationToken).ConfigureAwait(false);
    }

    private async Task PollJobsAsync(List<TrackedSlurmJob> watched, CommandResult query, CancellationToken cancellationToken)
    {
        if (!query.Ok)
        {
            if (++_failedPolls == _options.FailedPollsBeforeSiteDown && !_siteDown)
            {
                _siteDown = true;
                Raise(new SiteStateChanged(_options.Site, SiteState.Down, $"Slurm at cluster '{_options.Cluster}' did not answer {_failedPolls} polls in a row: {query.Problem}"));
            }
            return;
        }
        _failedPolls = 0;
        if (_siteDown)
        {
            _siteDown = false;
            Raise(new SiteStateChanged(_options.Site, SiteState.Up, $"Slurm at cluster '{_options.Cluster}' answers again"));
        }
        var byName = SqueueFormat.Parse(query.Stdout, out _).ToLookup(r => r.Name, StringComparer.Ordinal);
        if (watched.Any(j => Pick(j.Job, byName[j.Name], j.SlurmId) is { State: "NODE_FAIL" or "BOOT_FAIL" }))
        {
            // the node went down since this round's sinfo: report it before the job's node failure
            await PollNodesAsync(cancellationToken).ConfigureAwait(false);
        }
        var missing = new List<TrackedSlurmJob>();
        var newlyRunning = new List<TrackedSlurmJob>();
        foreach (var job in watched)
        {
            if (Pick(job.Job, byName[job.Name], job.SlurmId) is { } record)
            {
                await ObserveAsync(job, record, cancellationToken).ConfigureAwait(false);
                if (job.LastState == "RUNNING" && !job.GpusNoted && job.GpuLookups < 3)
                {
                    newlyRunning.Add(job);
                }
            }
            else
            {
                job.Misses++;
                missing.Add(job);
            }
        }
        await CheckMissingAsync(missing, cancellationToken).ConfigureAwait(false);
        await NoteGpusAsync(newlyRunning, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// The GPUs Slurm gave attempts that started since the last poll, from its GRES detail: one
    /// <c>scontrol -d -o show job</c> for all of them (a line per job), each noted once in the job's timeline.
    /// </summary>
    private async Task NoteGpusAsync(List<TrackedSlurmJob> started, CancellationToken cancellationToken)
    {
        if (started.Count == 0)
        {
            return;
        }
        List<string> args = ["-d", "-o", "show", "job"];
        if (started.Count == 1 && started[0].SlurmId.Length > 0)
        {
            args.Add(started[0].SlurmId);
        }
        if (_options.PassClusterFlag)
        {
            args.Insert(0, "--clusters=" + _options.Cluster);
        }
        var answer = await _runner.RunAsync("scontrol", args, null, _options.CommandTimeout, cancellationToken).ConfigureAwait(false);
        var details = answer.Ok ? GresDetail.Parse(answer.Stdout) : [];
        foreach (var job in started)
        {
            job.GpuLookups++;
            if (details.FirstOrDefault(d => d.JobId == job.SlurmId && d.JobName == job.Name) is { Gpus.Count: > 0 } detail)
            {
                job.GpusNoted = true;
                Raise(new JobSiteNote(job.Job, "SiteGpus",
                    $"Slurm job {job.SlurmId} at cluster '{_options.Cluster}' got {string.Join("; ", detail.Gpus.Select(g => $"{g.Nodes}: {g.Gres}"))}"));
            }
        }
    }

    /// <summary>Acts on one job's current record: nothing while it waits or runs; an ending, a stop, or a give-back once it is over.</summary>
    private async Task ObserveAsync(TrackedSlurmJob job, SlurmJobRecord record, CancellationToken cancellationToken)
    {
        job.Misses = 0;
        job.SubmitTime ??= record.SubmitTime;
        if (job.SlurmId.Length == 0)
        {
            job.SlurmId = record.JobId;
        }
        job.LastState = record.State;
        var reading = SlurmStates.Read(record);
        job.EverRan |= reading.Phase == SlurmPhase.Running;
        switch (reading.Phase)
        {
            case SlurmPhase.Ended:
                Finish(job, reading);
                break;
            case SlurmPhase.GiveBack when job.Stopping is null && job.GivingBack is null:
                // Slurm will never run it (or requeued it by itself): take it back from Slurm, then let Serai place it again
                job.GivingBack = reading;
                await SendCancelAsync(job).ConfigureAwait(false);
                break;
            default:
                if ((job.Stopping is not null || job.GivingBack is not null) && _time.GetUtcNow() - job.LastCancelSent > 3 * _options.PollInterval)
                {
                    await SendCancelAsync(job).ConfigureAwait(false); // a cancel that did not take: say it again
                }
                break;
        }
        cancellationToken.ThrowIfCancellationRequested();
    }

    /// <summary>Jobs that left squeue: after a few polls ask sacct once for all of them; long-missing ones with no record are lost.</summary>
    private async Task CheckMissingAsync(List<TrackedSlurmJob> missing, CancellationToken cancellationToken)
    {
        var ask = missing.Where(j => j.Misses >= _options.MissingPollsBeforeSacct && j.SlurmId.Length > 0).ToList();
        if (ask.Count > 0)
        {
            var sacct = await _runner.RunAsync("sacct", SqueueFormat.SacctArguments(_options, ask.Select(j => j.SlurmId)), null, _options.CommandTimeout, cancellationToken).ConfigureAwait(false);
            if (sacct.Ok)
            {
                var records = SqueueFormat.ParseSacct(sacct.Stdout);
                foreach (var job in ask)
                {
                    if (records.LastOrDefault(r => r.JobId == job.SlurmId && r.Name == job.Name) is { } past && SlurmStates.Read(past) is { Phase: SlurmPhase.Ended } reading)
                    {
                        Finish(job, reading);
                    }
                }
            }
        }
        foreach (var job in missing.Where(j => !j.Finished && (j.Misses >= _options.MissingPollsBeforeLost || (j.Stopping is not null || j.GivingBack is not null) && j.Misses >= _options.MissingPollsBeforeSacct)))
        {
            // a stopped job that left squeue is stopped; any other is lost
            Finish(job, new SlurmReading(SlurmPhase.Ended, JobEndKind.Lost, null,
                $"Slurm job {job.SlurmId} left squeue at cluster '{_options.Cluster}' (last seen {job.LastState}) and sacct has no record of its end"));
        }
    }

    /// <summary>The attempt is over at the site: one JobStopped if Serai stopped it, else one JobEnded.</summary>
    private void Finish(TrackedSlurmJob job, SlurmReading reading)
    {
        lock (_gate)
        {
            if (job.Finished)
            {
                return;
            }
            job.Finished = true;
            if (_jobs.TryGetValue(job.Job, out var current) && ReferenceEquals(current, job))
            {
                _jobs.Remove(job.Job);
            }
        }
        if (job.Stopping is { } kind)
        {
            var what = kind == StopKind.Cancel ? "cancelled" : "preempted";
            var how = reading.EndKind == JobEndKind.CancelledAtSite || job.LastState.StartsWith("CANCELLED", StringComparison.Ordinal)
                ? $"{what}; Slurm job {job.SlurmId} was cancelled with scancel"
                : $"{what}; Slurm job {job.SlurmId} had already ended ({reading.Reason})";
            Raise(new JobStopped(job.Job, kind, job.WasRunningAtStop && job.LastState != "COMPLETED", how));
        }
        else if (job.GivingBack is { } back)
        {
            Raise(new JobEnded(job.Job, back.EndKind ?? JobEndKind.NodeFailure, null, back.Reason + $"; cancelled at cluster '{_options.Cluster}' so Serai can place it again"));
        }
        else
        {
            Raise(new JobEnded(job.Job, reading.EndKind ?? JobEndKind.Lost, reading.ExitCode, reading.Reason));
        }
    }
}
