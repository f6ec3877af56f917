using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;

namespace Serai.Execution.Local;

/// <summary>
/// Runs each job as a real process on this machine, in its own session (so cancel kills the whole tree), in a
/// per-job directory with stdout, stderr, pid and exit-code files, the assigned GPUs made visible through the
/// vendor's variable. The exit-code file lets a restarted server learn how a job ended while it was down.
/// </summary>
public sealed class LocalBackend(LocalBackendOptions options) : IExecutionBackend, IDisposable
{
    // The wrapper: redirect, record the pid (= process group), run the command, record its exit code atomically.
    private const string Wrapper =
        "out=\"$1\"; err=\"$2\"; code=\"$3\"; pidf=\"$4\"; shift 4\n" +
        "exec </dev/null >\"$out\" 2>\"$err\"\n" +
        "echo $$ > \"$pidf\"\n" +
        "\"$@\"\n" +
        "rc=$?\n" +
        "echo $rc > \"$code.tmp\" && mv \"$code.tmp\" \"$code\"\n" +
        "exit $rc\n";

    private readonly ConcurrentDictionary<long, TrackedJob> _jobs = new();
    private readonly CancellationTokenSource _stopping = new();
    private Task? _poller;

    public string Name => "local";

    public event Action<JobExited>? JobExited;

    public Task<string> DispatchAsync(JobLaunch launch, CancellationToken cancellationToken)
    {
        if (launch.Command.Count == 0)
        {
            throw new DispatchException("the job has no command");
        }
        var dir = new JobDirectory(options.JobsDirectory, launch.JobId);
        Process process;
        try
        {
            Directory.CreateDirectory(dir.WorkDirectory);
            File.Delete(dir.ExitCodeFile);
            var start = new ProcessStartInfo("setsid") { WorkingDirectory = dir.WorkDirectory, UseShellExecute = false };
            foreach (var arg in (string[])["/bin/sh", "-c", Wrapper, "serai-job", dir.Stdout, dir.Stderr, dir.ExitCodeFile, dir.PidFile])
            {
                start.ArgumentList.Add(arg);
            }
            foreach (var arg in launch.Command)
            {
                start.ArgumentList.Add(arg);
            }
            var gpus = launch.Nodes.Count > 0 ? string.Join(',', launch.Nodes[0].GpuIndexes) : "";
            start.Environment[GpuVisibility.VariableFor(launch.Vendor)] = gpus;
            start.Environment["SERAI_JOB_ID"] = launch.JobId.ToString(CultureInfo.InvariantCulture);
            start.Environment["SERAI_TENANT"] = launch.Tenant;
            start.Environment["SERAI_NODES"] = string.Join(';', launch.Nodes.Select(n => $"{n.Pool}:{n.Node}:{string.Join(',', n.GpuIndexes)}"));
            process = Process.Start(start) ?? throw new DispatchException("the operating system did not start the process");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or System.ComponentModel.Win32Exception)
        {
            throw new DispatchException($"could not start the job's process: {e.Message}", e);
        }
        var tracked = new TrackedJob(launch.JobId, process.Id, launch, process);
        _jobs[launch.JobId] = tracked;
        _ = WatchAsync(tracked, dir, process);
        if (launch.TimeLimitSeconds is { } limit and > 0)
        {
            _ = EnforceTimeLimitAsync(tracked, TimeSpan.FromSeconds(Math.Min(limit, int.MaxValue / 1000)));
        }
        return Task.FromResult(process.Id.ToString(CultureInfo.InvariantCulture));
    }

    public async Task CancelAsync(long jobId, CancellationToken cancellationToken)
    {
        if (!_jobs.TryGetValue(jobId, out var tracked))
        {
            var pid = new JobDirectory(options.JobsDirectory, jobId).ReadPid();
            if (pid is { } orphan)
            {
                await ProcessGroups.TerminateAsync(orphan, options.KillGraceTime, cancellationToken).ConfigureAwait(false);
            }
            return;
        }
        tracked.Cancelled = true;
        await ProcessGroups.TerminateAsync(tracked.ProcessGroup, options.KillGraceTime, cancellationToken).ConfigureAwait(false);
        _jobs.TryRemove(jobId, out _);
    }

    public Task<Reattachment> ReattachAsync(long jobId, string? handle, CancellationToken cancellationToken)
    {
        var dir = new JobDirectory(options.JobsDirectory, jobId);
        var pid = dir.ReadPid() ?? (int.TryParse(handle, CultureInfo.InvariantCulture, out var h) ? h : 0);
        if (pid > 1 && ProcessGroups.ProcessAlive(pid) && dir.ReadExitCode() is null)
        {
            _jobs[jobId] = new TrackedJob(jobId, pid, null, null);
            StartPoller();
            return Task.FromResult(new Reattachment(ReattachState.Running, Handle: pid.ToString(CultureInfo.InvariantCulture)));
        }
        var code = dir.ReadExitCode();
        return Task.FromResult(code is { } c ? new Reattachment(ReattachState.Exited, c) : new Reattachment(ReattachState.Gone));
    }

    public async Task<string> ThrottleAsync(long jobId, double powerFraction, double tdpWatts, CancellationToken cancellationToken)
    {
        var watts = (int)Math.Round(tdpWatts * powerFraction);
        if (!options.ApplyPowerLimits || !_jobs.TryGetValue(jobId, out var tracked) || tracked.Launch is null)
        {
            return $"power limit {watts} W per GPU recorded (not applied: local power limits are off)";
        }
        foreach (var gpu in tracked.Launch.Nodes.SelectMany(n => n.GpuIndexes))
        {
            var result = await LocalGpus.RunAsync("nvidia-smi", ["-i", gpu.ToString(CultureInfo.InvariantCulture), "-pl", watts.ToString(CultureInfo.InvariantCulture)], cancellationToken).ConfigureAwait(false);
            if (result is null)
            {
                return $"power limit {watts} W per GPU recorded (nvidia-smi -pl failed)";
            }
        }
        return $"power limit {watts} W per GPU set with nvidia-smi";
    }

    public string? LogPath(long jobId, LogStream stream)
    {
        var dir = new JobDirectory(options.JobsDirectory, jobId);
        return stream == LogStream.Stdout ? dir.Stdout : dir.Stderr;
    }

    public void Dispose()
    {
        _stopping.Cancel();
        _stopping.Dispose();
    }

    private async Task WatchAsync(TrackedJob tracked, JobDirectory dir, Process process)
    {
        using (process)
        {
            await process.WaitForExitAsync(CancellationToken.None).ConfigureAwait(false);
            var code = dir.ReadExitCode();
            Report(tracked, code ?? process.ExitCode, code is null);
        }
    }

    private void Report(TrackedJob tracked, int? code, bool withoutExitFile)
    {
        if (tracked.Cancelled || !_jobs.TryRemove(new KeyValuePair<long, TrackedJob>(tracked.JobId, tracked)))
        {
            return;
        }
        var reason = tracked.TimedOut ? "time limit reached; the job was stopped"
            : withoutExitFile ? $"the job's process ended without recording an exit code (status {code?.ToString(CultureInfo.InvariantCulture) ?? "unknown"})"
            : $"exited with code {code}";
        JobExited?.Invoke(new JobExited(tracked.JobId, tracked.TimedOut ? null : code, reason));
    }

    private async Task EnforceTimeLimitAsync(TrackedJob tracked, TimeSpan limit)
    {
        try
        {
            await Task.Delay(limit, _stopping.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            return;
        }
        if (_jobs.ContainsKey(tracked.JobId) && !tracked.Cancelled)
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
            foreach (var tracked in _jobs.Values.Where(j => j.Process is null))
            {
                if (!ProcessGroups.ProcessAlive(tracked.ProcessGroup))
                {
                    var code = new JobDirectory(options.JobsDirectory, tracked.JobId).ReadExitCode();
                    Report(tracked, code, code is null);
                }
            }
            try
            {
                await Task.Delay(options.PollInterval, _stopping.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private sealed class TrackedJob(long jobId, int processGroup, JobLaunch? launch, Process? process)
    {
        public long JobId { get; } = jobId;
        public int ProcessGroup { get; } = processGroup;
        public JobLaunch? Launch { get; } = launch;
        public Process? Process { get; } = process;
        public volatile bool Cancelled;
        public volatile bool TimedOut;
    }
}
