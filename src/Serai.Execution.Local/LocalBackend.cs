using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;

namespace Serai.Execution.Local;

/// <summary>
/// Runs each job as a real process on this machine, in its own session (so a stop kills the whole tree), as its tenant's
/// unprivileged account when the server runs as root, with a clean environment (what the job asked for, Serai's
/// variables, PATH and HOME), in a per-job directory that only the server can read (see <see cref="JobDirectory"/>).
/// Processes are known by the server's own records (the process group it created and its leader's start time), never
/// by files a job could write. Every attempt appends to the same logs. One instance may serve several sites: Serai's job
/// ids are unique across the hub.
/// </summary>
public sealed partial class LocalBackend : IExecutionBackend, IDisposable
{
    // The wrapper (root when jobs switch user, so a job cannot kill it or forge what it records): append to the logs, run
    // the command (through setpriv when switching), record its exit code atomically in the server's directory.
    private const string Wrapper =
        "out=\"$1\"; err=\"$2\"; code=\"$3\"; shift 3\n" +
        "exec </dev/null >>\"$out\" 2>>\"$err\"\n" +
        "\"$@\"\n" +
        "rc=$?\n" +
        "echo $rc > \"$code.tmp\" && mv \"$code.tmp\" \"$code\"\n" +
        "exit $rc\n";

    private const string DefaultPath = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

    private readonly ConcurrentDictionary<long, TrackedJob> _jobs = new();
    private readonly CancellationTokenSource _stopping = new();
    private readonly LocalBackendOptions _options;
    private readonly TimeProvider _time;
    private readonly JobAccounts _accounts;
    private readonly CancellationToken _stopToken;
    private Task? _poller;
    private int _disposed;

    public LocalBackend(LocalBackendOptions options, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options;
        _time = time ?? TimeProvider.System;
        _accounts = new JobAccounts(options);
        _stopToken = _stopping.Token; // background work reads this, never the source, which Dispose disposes
        var root = Posix.EffectiveUserId == 0;
        SwitchesUser = options.SwitchUser ?? root;
        if (SwitchesUser && !root)
        {
            throw new InvalidOperationException($"running jobs as their tenants' accounts needs root; this server runs as uid {Posix.EffectiveUserId}");
        }
        IsolationWarning = SwitchesUser ? null
            : root ? "jobs run as root, the server's own user (switching users is turned off): a job can read the server's database, configuration and tokens and signal the server"
            : $"the server does not run as root (uid {Posix.EffectiveUserId}), so it cannot run jobs as their tenants' accounts: every job runs as the server's own user and can read what the server can and signal it; jobs still get a clean environment and owner-only directories";
    }

    public string Name => "local";

    /// <summary>Whether jobs run as their tenants' accounts (see <see cref="LocalBackendOptions.SwitchUser"/>).</summary>
    public bool SwitchesUser { get; }

    /// <summary>Why jobs are not isolated from the server, for the operator to read at start; null when they are.</summary>
    public string? IsolationWarning { get; }

    public event Action<BackendEvent>? EventRaised;

    public async Task<string> DispatchAsync(JobLaunch launch, CancellationToken cancellationToken)
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
        var account = SwitchesUser ? _accounts.Resolve(launch.Tenant) : null;
        var dir = new JobDirectory(_options.JobsDirectory, launch.JobId);
        Process process;
        long? start;
        DateTimeOffset? deadline = launch.TimeLimitSeconds is { } seconds and > 0 ? _time.GetUtcNow().AddSeconds(Math.Min(seconds, int.MaxValue / 1000)) : null;
        try
        {
            dir.PrepareAttempt(launch.Attempt, account);
            var now = _time.GetUtcNow();
            dir.AppendMarkers(launch, now);
            process = Process.Start(StartInfo(launch, dir, account, now)) ?? throw new DispatchException("the operating system did not start the process");
            start = ProcessGroups.StartTime(process.Id);
            dir.RecordProcess(process.Id, start, deadline);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or System.ComponentModel.Win32Exception)
        {
            throw new DispatchException($"could not start the job's process: {e.Message}", e);
        }
        var pgid = process.Id; // read before the watcher, which may end and dispose the process at once
        var tracked = new TrackedJob(launch.Job, pgid, start, launch, startedHere: true);
        _jobs[launch.JobId] = tracked;
        _ = WatchAsync(tracked, dir, process);
        if (deadline is { } d)
        {
            _ = EnforceTimeLimitAsync(tracked, d);
        }
        // The handle names a process group: it is returned only once the group exists, so that a stop sent at once after
        // a restart reaches every process of the job (a stop before that reaches the leader alone, see ProcessGroups.Signal).
        await ProcessGroups.WaitGroupLeaderAsync(pgid, TimeSpan.FromSeconds(5), CancellationToken.None).ConfigureAwait(false);
        return pgid.ToString(CultureInfo.InvariantCulture);
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
        // Not watched: an attempt left from before a restart and never reattached, or one that already ended. Only the
        // group the server recorded, while it is provably still that group, is stopped.
        var dir = new JobDirectory(_options.JobsDirectory, job.JobId);
        var recorded = dir.ReadAttempt();
        if ((recorded is null || recorded == job.Attempt) && dir.ReadPid() is { } pgid
            && (dir.ReadStart() ?? ProcessGroups.WrapperStart(pgid, dir.ExitCodeFile)) is { } start
            && dir.ReadExitCode() is null
            && (ProcessGroups.WrapperAlive(pgid, start, dir.ExitCodeFile) || !ProcessGroups.ProcessAlive(pgid) && ProcessGroups.GroupAlive(pgid)))
        {
            var adopted = new TrackedJob(job, pgid, start, null, startedHere: false);
            if (adopted.TryBeginStop(out _) && _jobs.TryAdd(job.JobId, adopted))
            {
                _ = Task.Run(() => StopInBackgroundAsync(adopted, kind), CancellationToken.None);
                return Task.CompletedTask;
            }
        }
        Raise(new JobStopped(job, kind, false, $"{job} was not running here"));
        return Task.CompletedTask;
    }

    public async Task<Reattachment> ReattachAsync(JobRef job, string? handle, CancellationToken cancellationToken)
    {
        if (_jobs.TryGetValue(job.JobId, out var watched) && watched.Job == job && watched.IsRunning)
        {
            return new Reattachment(ReattachState.Running, Handle: watched.ProcessGroup.ToString(CultureInfo.InvariantCulture));
        }
        var dir = new JobDirectory(_options.JobsDirectory, job.JobId);
        if (dir.ReadAttempt() is { } recorded && recorded != job.Attempt)
        {
            return new Reattachment(ReattachState.Gone, EndKind: JobEndKind.Lost,
                Reason: $"the job's directory belongs to attempt {recorded}, not attempt {job.Attempt}");
        }
        // The handle is the server's own record (its database); the pid file is the fallback for a dispatch whose answer
        // was never stored, believed only while that pid runs this job's wrapper. Either holds only while the start time
        // matches: a later process with the same pid is never taken for the job.
        var fromHandle = int.TryParse(handle, CultureInfo.InvariantCulture, out var h) && h > 1;
        var pgid = fromHandle ? h : dir.ReadPid() ?? 0;
        var start = dir.ReadStart() ?? ProcessGroups.WrapperStart(pgid, dir.ExitCodeFile);
        if (pgid > 1 && start is { } s && (fromHandle ? ProcessGroups.LeaderAlive(pgid, s) : ProcessGroups.WrapperAlive(pgid, s, dir.ExitCodeFile)))
        {
            var tracked = new TrackedJob(job, pgid, s, null, startedHere: false);
            _jobs[job.JobId] = tracked;
            if (dir.ReadDeadline() is { } deadline)
            {
                _ = EnforceTimeLimitAsync(tracked, deadline); // the limit holds across restarts
            }
            StartPoller();
            return new Reattachment(ReattachState.Running, Handle: pgid.ToString(CultureInfo.InvariantCulture));
        }
        if (pgid > 1 && start is { } leftover && ProcessGroups.StillOurs(pgid, leftover))
        {
            // the wrapper is gone (killed while the server was down) but processes of the job are left: they go first
            await ProcessGroups.TerminateAsync(pgid, leftover, TimeSpan.Zero, CancellationToken.None).ConfigureAwait(false);
            await ProcessGroups.WaitGoneAsync(pgid, leftover, AfterKillLimit, CancellationToken.None).ConfigureAwait(false);
        }
        return dir.ReadExitCode() is { } code
            ? new Reattachment(ReattachState.Exited, code, EndKind: JobEndKind.Exited, Reason: $"exited with code {code}")
            : new Reattachment(ReattachState.Gone, EndKind: JobEndKind.Lost, Reason: "no process and no recorded exit code");
    }

    public async Task<string> ThrottleAsync(JobRef job, double powerFraction, double tdpWatts, CancellationToken cancellationToken)
    {
        var watts = (int)Math.Round(tdpWatts * powerFraction);
        if (!_options.ApplyPowerLimits || !_jobs.TryGetValue(job.JobId, out var tracked) || tracked.Job != job || tracked.Launch is null)
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
        return await LogChunk.ReadFileAsync(new JobDirectory(_options.JobsDirectory, jobId).Log(stream), offsetBytes, maxBytes, running, cancellationToken).ConfigureAwait(false);
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }
        _stopping.Cancel();
        _stopping.Dispose();
    }

    private ProcessStartInfo StartInfo(JobLaunch launch, JobDirectory dir, JobAccount? account, DateTimeOffset startedAt)
    {
        var start = new ProcessStartInfo(Executables.SetSid) { WorkingDirectory = launch.WorkingDirectory ?? dir.WorkDirectory, UseShellExecute = false };
        var arguments = new List<string> { "/bin/sh", "-c", Wrapper, "serai-job", dir.Stdout, dir.Stderr, dir.ExitCodeFile };
        if (account is not null)
        {
            arguments.AddRange(DropTo(account));
        }
        arguments.AddRange(OutputFileArguments(launch, dir, startedAt)); // after the drop: the job's account opens them
        arguments.AddRange(launch.Command);
        foreach (var arg in arguments)
        {
            start.ArgumentList.Add(arg);
        }
        // A clean environment: nothing of the server's own (its settings, secrets, tokens) reaches the job.
        start.Environment.Clear();
        start.Environment["PATH"] = Environment.GetEnvironmentVariable("PATH") is { Length: > 0 } path ? path : DefaultPath;
        start.Environment["HOME"] = dir.WorkDirectory;
        if (account is not null)
        {
            start.Environment["USER"] = account.Name;
            start.Environment["LOGNAME"] = account.Name;
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
