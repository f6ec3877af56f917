using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;

namespace Serai.Execution.Local;

/// <summary>
/// Runs each job as a real process on this machine, in its own session (so a stop kills the whole tree), in a per-job
/// directory with stdout, stderr, pid, attempt and exit-code files, the assigned GPUs made visible through the vendor's
/// variable. Every attempt appends to the same logs. The exit-code file lets a restarted server learn how a job ended
/// while it was down. One instance may serve several sites: Serai's job ids are unique across the hub.
/// </summary>
public sealed partial class LocalBackend(LocalBackendOptions options, TimeProvider? time = null) : IExecutionBackend, IDisposable
{
    // The wrapper: append to the logs, record the pid (= process group), run the command, record its exit code atomically.
    private const string Wrapper =
        "out=\"$1\"; err=\"$2\"; code=\"$3\"; pidf=\"$4\"; shift 4\n" +
        "exec </dev/null >>\"$out\" 2>>\"$err\"\n" +
        "echo $$ > \"$pidf\"\n" +
        "\"$@\"\n" +
        "rc=$?\n" +
        "echo $rc > \"$code.tmp\" && mv \"$code.tmp\" \"$code\"\n" +
        "exit $rc\n";

    private readonly ConcurrentDictionary<long, TrackedJob> _jobs = new();
    private readonly CancellationTokenSource _stopping = new();
    private readonly TimeProvider _time = time ?? TimeProvider.System;
    private Task? _poller;

    public string Name => "local";

    public event Action<BackendEvent>? EventRaised;

    public Task<string> DispatchAsync(JobLaunch launch, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(launch);
        if (launch.Command.Count == 0)
        {
            throw new DispatchException("the job has no command");
        }
        if (launch.Attempt < 1)
        {
            throw new DispatchException($"attempt {launch.Attempt} is not an attempt number; attempts count from 1");
        }
        if (_jobs.TryGetValue(launch.JobId, out var earlier))
        {
            throw new DispatchException($"{earlier.Job} still runs here; stop it and wait for its JobStopped before dispatching attempt {launch.Attempt}");
        }
        if (launch.WorkingDirectory is { } workingDirectory && !Directory.Exists(workingDirectory))
        {
            throw new DispatchException($"the working directory '{workingDirectory}' does not exist");
        }
        var dir = new JobDirectory(options.JobsDirectory, launch.JobId);
        Process process;
        try
        {
            dir.PrepareAttempt(launch.Attempt);
            dir.AppendMarkers(launch, _time.GetUtcNow());
            process = Process.Start(StartInfo(launch, dir)) ?? throw new DispatchException("the operating system did not start the process");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or System.ComponentModel.Win32Exception)
        {
            throw new DispatchException($"could not start the job's process: {e.Message}", e);
        }
        var tracked = new TrackedJob(launch.Job, process.Id, launch, startedHere: true);
        _jobs[launch.JobId] = tracked;
        _ = WatchAsync(tracked, dir, process);
        if (launch.TimeLimitSeconds is { } limit and > 0)
        {
            _ = EnforceTimeLimitAsync(tracked, TimeSpan.FromSeconds(Math.Min(limit, int.MaxValue / 1000)));
        }
        return Task.FromResult(process.Id.ToString(CultureInfo.InvariantCulture));
    }

    public Task StopAsync(JobRef job, StopKind kind, CancellationToken cancellationToken)
    {
        if (_jobs.TryGetValue(job.JobId, out var tracked) && tracked.Job == job)
        {
            if (tracked.TryBeginStop(out var alreadyStopping))
            {
                _ = Task.Run(() => StopInBackgroundAsync(tracked, kind), CancellationToken.None);
            }
            else if (!alreadyStopping)
            {
                Raise(new JobStopped(job, kind, false, $"{job} had already ended"));
            }
            // else: the stop under way answers this one too
            return Task.CompletedTask;
        }
        // Not watched: an attempt left from before a restart and never reattached, or one that already ended.
        var dir = new JobDirectory(options.JobsDirectory, job.JobId);
        var recorded = dir.ReadAttempt();
        var orphan = recorded is null || recorded == job.Attempt ? dir.ReadPid() : null;
        if (orphan is { } pgid && dir.ReadExitCode() is null && ProcessGroups.GroupAlive(pgid))
        {
            var adopted = new TrackedJob(job, pgid, null, startedHere: false);
            if (adopted.TryBeginStop(out _) && _jobs.TryAdd(job.JobId, adopted))
            {
                _ = Task.Run(() => StopInBackgroundAsync(adopted, kind), CancellationToken.None);
                return Task.CompletedTask;
            }
        }
        Raise(new JobStopped(job, kind, false, $"{job} was not running here"));
        return Task.CompletedTask;
    }

    public Task<Reattachment> ReattachAsync(JobRef job, string? handle, CancellationToken cancellationToken)
    {
        if (_jobs.TryGetValue(job.JobId, out var watched) && watched.Job == job && watched.IsRunning)
        {
            return Task.FromResult(new Reattachment(ReattachState.Running, Handle: watched.ProcessGroup.ToString(CultureInfo.InvariantCulture)));
        }
        var dir = new JobDirectory(options.JobsDirectory, job.JobId);
        if (dir.ReadAttempt() is { } recorded && recorded != job.Attempt)
        {
            return Task.FromResult(new Reattachment(ReattachState.Gone, EndKind: JobEndKind.Lost,
                Reason: $"the job's directory belongs to attempt {recorded}, not attempt {job.Attempt}"));
        }
        var pid = dir.ReadPid() ?? (int.TryParse(handle, CultureInfo.InvariantCulture, out var h) ? h : 0);
        if (pid > 1 && ProcessGroups.ProcessAlive(pid) && dir.ReadExitCode() is null)
        {
            _jobs[job.JobId] = new TrackedJob(job, pid, null, startedHere: false);
            StartPoller();
            return Task.FromResult(new Reattachment(ReattachState.Running, Handle: pid.ToString(CultureInfo.InvariantCulture)));
        }
        return Task.FromResult(dir.ReadExitCode() is { } code
            ? new Reattachment(ReattachState.Exited, code, EndKind: JobEndKind.Exited, Reason: $"exited with code {code}")
            : new Reattachment(ReattachState.Gone, EndKind: JobEndKind.Lost, Reason: "no process and no recorded exit code"));
    }

    public async Task<string> ThrottleAsync(JobRef job, double powerFraction, double tdpWatts, CancellationToken cancellationToken)
    {
        var watts = (int)Math.Round(tdpWatts * powerFraction);
        if (!options.ApplyPowerLimits || !_jobs.TryGetValue(job.JobId, out var tracked) || tracked.Job != job || tracked.Launch is null)
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

    public async Task<LogChunk> ReadLogAsync(string site, long jobId, LogStream stream, long offsetBytes, int maxBytes, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(offsetBytes);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxBytes);
        var running = _jobs.ContainsKey(jobId);
        return await LogChunk.ReadFileAsync(new JobDirectory(options.JobsDirectory, jobId).Log(stream), offsetBytes, maxBytes, running, cancellationToken).ConfigureAwait(false);
    }

    public void Dispose()
    {
        _stopping.Cancel();
        _stopping.Dispose();
    }

    private ProcessStartInfo StartInfo(JobLaunch launch, JobDirectory dir)
    {
        var start = new ProcessStartInfo("setsid") { WorkingDirectory = launch.WorkingDirectory ?? dir.WorkDirectory, UseShellExecute = false };
        foreach (var arg in (string[])["/bin/sh", "-c", Wrapper, "serai-job", dir.Stdout, dir.Stderr, dir.ExitCodeFile, dir.PidFile])
        {
            start.ArgumentList.Add(arg);
        }
        foreach (var arg in launch.Command)
        {
            start.ArgumentList.Add(arg);
        }
        foreach (var (name, value) in launch.Environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }
        // Serai's own variables come last: a job's environment cannot hide which GPUs it got.
        start.Environment[GpuVisibility.VariableFor(launch.Vendor)] = launch.Nodes.Count > 0 ? string.Join(',', launch.Nodes[0].GpuIndexes) : "";
        start.Environment["SERAI_JOB_ID"] = launch.JobId.ToString(CultureInfo.InvariantCulture);
        start.Environment["SERAI_ATTEMPT"] = launch.Attempt.ToString(CultureInfo.InvariantCulture);
        start.Environment["SERAI_TENANT"] = launch.Tenant;
        start.Environment["SERAI_SITE"] = launch.Site;
        start.Environment["SERAI_POOL"] = launch.Pool;
        start.Environment["SERAI_NODES"] = string.Join(';', launch.Nodes.Select(n => $"{launch.Pool}:{n.Label}:{string.Join(',', n.GpuIndexes)}"));
        return start;
    }

    private void Raise(BackendEvent backendEvent) => EventRaised?.Invoke(backendEvent);
}
