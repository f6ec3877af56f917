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
            await process.WaitForExitAsync(CancellationToken.None).ConfigureAwait(false);
            var code = dir.ReadExitCode();
            ReportEnded(tracked, code ?? process.ExitCode, code is not null);
        }
    }

    /// <summary>The attempt ended on its own (or by its time limit): JobEnded, unless a stop has taken it over.</summary>
    private void ReportEnded(TrackedJob tracked, int? code, bool recorded)
    {
        if (!tracked.TryEnd())
        {
            return;
        }
        _jobs.TryRemove(new KeyValuePair<long, TrackedJob>(tracked.Job.JobId, tracked));
        var status = code?.ToString(CultureInfo.InvariantCulture) ?? "unknown";
        Raise(tracked.TimedOut ? new JobEnded(tracked.Job, JobEndKind.TimedOut, null, "time limit reached; the job was stopped")
            : recorded ? new JobEnded(tracked.Job, JobEndKind.Exited, code, $"exited with code {status}")
            : new JobEnded(tracked.Job, JobEndKind.Lost, code, $"the job's process ended without recording an exit code (status {status})"));
    }

    /// <summary>SIGTERM, grace time, SIGKILL; then JobStopped once nothing of the attempt is alive.</summary>
    private async Task StopInBackgroundAsync(TrackedJob tracked, StopKind kind)
    {
        var what = kind == StopKind.Cancel ? "cancelled" : "preempted";
        string reason;
        try
        {
            var termination = await ProcessGroups.TerminateAsync(tracked.ProcessGroup, options.KillGraceTime, CancellationToken.None).ConfigureAwait(false);
            var gone = await ProcessGroups.WaitGoneAsync(tracked.ProcessGroup, AfterKillLimit, CancellationToken.None).ConfigureAwait(false);
            var grace = options.KillGraceTime.TotalSeconds.ToString("0.#", CultureInfo.InvariantCulture);
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

    private async Task EnforceTimeLimitAsync(TrackedJob tracked, TimeSpan limit)
    {
        try
        {
            await Task.Delay(limit, _time, _stopping.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            return;
        }
        if (tracked.IsRunning)
        {
            tracked.TimedOut = true;
            await ProcessGroups.TerminateAsync(tracked.ProcessGroup, options.KillGraceTime, CancellationToken.None).ConfigureAwait(false);
        }
    }

    private void StartPoller()
    {
        lock (_jobs)
        {
            _poller ??= Task.Run(PollReattachedAsync);
        }
    }

    // Processes this server did not start cannot be waited for; poll /proc and the exit-code file instead.
    private async Task PollReattachedAsync()
    {
        while (!_stopping.IsCancellationRequested)
        {
            foreach (var tracked in _jobs.Values.Where(j => !j.StartedHere && j.IsRunning))
            {
                if (!ProcessGroups.ProcessAlive(tracked.ProcessGroup))
                {
                    var code = new JobDirectory(options.JobsDirectory, tracked.Job.JobId).ReadExitCode();
                    ReportEnded(tracked, code, code is not null);
                }
            }
            try
            {
                await Task.Delay(options.PollInterval, _time, _stopping.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }
}
