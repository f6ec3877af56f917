using System.Diagnostics;
using System.Globalization;

namespace Serai.Execution.Local;

/// <summary>The background side of the local backend: waiting for processes, time limits, stops, polling reattached jobs.</summary>
public sealed partial class LocalBackend
{
    // After SIGKILL the kernel ends the processes at once; this only bounds the wait for their exit to show in /proc.
    private static readonly TimeSpan AfterKillLimit = TimeSpan.FromSeconds(10);

    private async Task WatchAsync(TrackedJob tracked, JobDirectory dir, Process process)
    {
        using (process)
        {
            try
            {
                await process.WaitForExitAsync(_stopToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return; // this backend is shut down: the job runs on, for the next server to reattach
            }
            // The wrapper's own exit status comes from the server's wait, not from a file; the recorded code counts only
            // when the wrapper lived to write it (then both agree).
            var status = process.ExitCode;
            var recorded = dir.ReadExitCode();
            var leftovers = await EndLeftoversAsync(tracked).ConfigureAwait(false);
            ReportEnded(tracked, status, recorded == status, leftovers);
        }
    }

    /// <summary>
    /// Once the wrapper is gone, nothing of the attempt may run on (a command whose wrapper was killed, background
    /// processes it left): the rest of the group is stopped before the attempt is reported ended and its GPUs given back.
    /// </summary>
    private async Task<bool> EndLeftoversAsync(TrackedJob tracked)
    {
        if (!tracked.IsRunning || !ProcessGroups.GroupAlive(tracked.ProcessGroup))
        {
            return false;
        }
        await ProcessGroups.TerminateAsync(tracked.ProcessGroup, _options.KillGraceTime, CancellationToken.None).ConfigureAwait(false);
        await ProcessGroups.WaitGoneAsync(tracked.ProcessGroup, AfterKillLimit, CancellationToken.None).ConfigureAwait(false);
        return true;
    }

    /// <summary>The attempt ended on its own (or by its time limit): JobEnded, unless a stop has taken it over.</summary>
    private void ReportEnded(TrackedJob tracked, int? code, bool recorded, bool leftovers = false)
    {
        if (!tracked.TryEnd())
        {
            return;
        }
        _jobs.TryRemove(new KeyValuePair<long, TrackedJob>(tracked.Job.JobId, tracked));
        var status = code?.ToString(CultureInfo.InvariantCulture) ?? "unknown";
        var after = leftovers ? "; processes it left running were stopped" : "";
        Raise(tracked.TimedOut ? new JobEnded(tracked.Job, JobEndKind.TimedOut, null, "time limit reached; the job was stopped")
            : recorded ? new JobEnded(tracked.Job, JobEndKind.Exited, code, $"exited with code {status}{after}")
            : new JobEnded(tracked.Job, JobEndKind.Lost, code, $"the job's wrapper ended without recording an exit code (status {status}){after}"));
    }

    /// <summary>SIGTERM, grace time, SIGKILL; then JobStopped once nothing of the attempt is alive.</summary>
    private async Task StopInBackgroundAsync(TrackedJob tracked, StopKind kind)
    {
        var what = kind == StopKind.Cancel ? "cancelled" : "preempted";
        string reason;
        try
        {
            var termination = await ProcessGroups.TerminateAsync(tracked.ProcessGroup, _options.KillGraceTime, CancellationToken.None).ConfigureAwait(false);
            var gone = await ProcessGroups.WaitGoneAsync(tracked.ProcessGroup, AfterKillLimit, CancellationToken.None).ConfigureAwait(false);
            var grace = _options.KillGraceTime.TotalSeconds.ToString("0.#", CultureInfo.InvariantCulture);
            reason = termination switch
            {
                Termination.NotRunning => $"{what}; its processes had already ended",
                Termination.Terminated => $"{what}; its processes ended on SIGTERM",
                _ => $"{what}; its processes were killed with SIGKILL after the {grace} s grace time",
            };
            if (!gone)
            {
                reason += $" (some were still visible {AfterKillLimit.TotalSeconds:0} s after SIGKILL)";
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            reason = $"{what}; checking that its processes ended failed: {e.Message}";
        }
        _jobs.TryRemove(new KeyValuePair<long, TrackedJob>(tracked.Job.JobId, tracked));
        Raise(new JobStopped(tracked.Job, kind, true, reason));
    }

    /// <summary>Stops the attempt when its deadline passes (a reattached attempt keeps the deadline of its dispatch).</summary>
    private async Task EnforceTimeLimitAsync(TrackedJob tracked, DateTimeOffset deadline)
    {
        var left = deadline - _time.GetUtcNow();
        try
        {
            if (left > TimeSpan.Zero)
            {
                await Task.Delay(left, _time, _stopToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException)
        {
            return;
        }
        if (tracked.IsRunning)
        {
            tracked.TimedOut = true;
            await ProcessGroups.TerminateAsync(tracked.ProcessGroup, _options.KillGraceTime, CancellationToken.None).ConfigureAwait(false);
        }
    }

    private void StartPoller()
    {
        lock (_jobs)
        {
            _poller ??= Task.Run(PollReattachedAsync);
        }
    }

    // Processes this server did not start cannot be waited for: poll /proc (the leader, known by its start time), then
    // read the exit code the wrapper recorded in the server's directory.
    private async Task PollReattachedAsync()
    {
        while (!_stopToken.IsCancellationRequested)
        {
            foreach (var tracked in _jobs.Values.Where(j => !j.StartedHere && j.IsRunning))
            {
                if (tracked.Start is not { } start || !ProcessGroups.LeaderAlive(tracked.ProcessGroup, start))
                {
                    var leftovers = await EndLeftoversAsync(tracked).ConfigureAwait(false);
                    var code = new JobDirectory(_options.JobsDirectory, tracked.Job.JobId).ReadExitCode();
                    ReportEnded(tracked, code, code is not null, leftovers);
                }
            }
            try
            {
                await Task.Delay(_options.PollInterval, _time, _stopToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }
}
