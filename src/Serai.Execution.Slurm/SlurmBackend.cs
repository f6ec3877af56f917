using System.Globalization;
using Serai.Execution.Slurm.Commands;
using Serai.Execution.Slurm.Parsing;

namespace Serai.Execution.Slurm;

/// <summary>
/// One site's Slurm cluster as an execution backend: each attempt is one batch job submitted with <c>sbatch --parsable</c>
/// (named and commented with Serai's job id and attempt), watched by ONE batched <c>squeue</c> per poll interval (sacct for
/// jobs that left it), stopped with <c>scancel</c> checked by the next queries; node states and free GPUs come from <c>sinfo</c>.
/// </summary>
public sealed partial class SlurmBackend : IExecutionBackend, IDisposable
{
    private readonly SlurmBackendOptions _options;
    private readonly ICommandRunner _runner;
    private readonly TimeProvider _time;
    private readonly Dictionary<JobRef, TrackedSlurmJob> _jobs = [];
    private readonly Lock _gate = new();
    private readonly CancellationTokenSource _stopping = new();
    private readonly Task? _poller;

    public SlurmBackend(SlurmBackendOptions options, ICommandRunner? runner = null, TimeProvider? time = null, bool startPolling = true)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options;
        _runner = runner ?? new ProcessCommandRunner();
        _time = time ?? TimeProvider.System;
        if (startPolling)
        {
            _poller = Task.Run(PollLoopAsync);
        }
    }

    public string Name => "slurm";

    public event Action<BackendEvent>? EventRaised;

    public SlurmBackendOptions Options => _options;

    /// <summary>A time limit that is not whole minutes was rounded up: the job's timeline says so.</summary>
    private void NoteTimeLimit(JobLaunch launch)
    {
        if (launch.TimeLimitSeconds is { } limit and > 0 && limit % 60 != 0)
        {
            var minutes = BatchScript.TimeLimitMinutes(limit);
            Raise(new JobSiteNote(launch.Job, "TimeLimitRounded",
                $"Slurm at cluster '{_options.Cluster}' counts whole minutes: time limit {limit} s asked, {minutes} min ({minutes * 60} s) given"));
        }
    }

    public async Task<string> DispatchAsync(JobLaunch launch, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(launch);
        var pool = Validate(launch);
        var args = BatchScript.SbatchArguments(launch, _options, pool);
        var script = BatchScript.Script(launch);
        var problem = "";
        var mayHaveReached = false; // a try whose submission may have reached Slurm: look the job up before another
        for (var tryNumber = 1; tryNumber <= Math.Max(1, _options.SubmitTries); tryNumber++)
        {
            if (mayHaveReached && await FindAsync(launch.Job, null, cancellationToken).ConfigureAwait(false) is { } found)
            {
                // the earlier submit did reach Slurm: never a second job for one attempt
                NoteTimeLimit(launch);
                return Track(launch.Job, found.JobId, found.SubmitTime);
            }
            var result = await _runner.RunAsync("sbatch", args, script, _options.CommandTimeout, cancellationToken).ConfigureAwait(false);
            if (ParseJobId(result.Stdout) is { } id) // sbatch may print an id and an error together: the job exists
            {
                NoteTimeLimit(launch);
                return Track(launch.Job, id, null);
            }
            problem = result.Problem;
            if (!result.TimedOut && result.ExitCode > 0 && !IsTransient(result))
            {
                throw new DispatchException($"sbatch at cluster '{_options.Cluster}' refused {launch.Job}: {problem}");
            }
            mayHaveReached |= !NeverConnected(result);
        }
        if (mayHaveReached && await FindAsync(launch.Job, null, cancellationToken).ConfigureAwait(false) is { } late)
        {
            NoteTimeLimit(launch);
            return Track(launch.Job, late.JobId, late.SubmitTime);
        }
        // Slurm does not have the job: when no try even reached the controller the site is unreachable, not refusing
        throw new DispatchException($"sbatch at cluster '{_options.Cluster}' failed {_options.SubmitTries} times for {launch.Job} (via {_runner.Description}): {problem}")
        {
            SiteUnreachable = !mayHaveReached,
        };
    }

    public Task StopAsync(JobRef job, StopKind kind, CancellationToken cancellationToken)
    {
        TrackedSlurmJob? tracked;
        lock (_gate)
        {
            if (_jobs.TryGetValue(job, out tracked) && !tracked.Finished)
            {
                if (tracked.Stopping is not null)
                {
                    return Task.CompletedTask; // the stop under way answers this one too
                }
                tracked.Stopping = kind;
                tracked.WasRunningAtStop = true;
            }
            else
            {
                tracked = null;
            }
        }
        _ = tracked is null ? Task.Run(() => StopUnwatchedAsync(job, kind), CancellationToken.None) : Task.Run(() => SendCancelAsync(tracked), CancellationToken.None);
        return Task.CompletedTask;
    }

    public async Task<Reattachment> ReattachAsync(JobRef job, string? handle, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            if (_jobs.TryGetValue(job, out var watched) && !watched.Finished)
            {
                return new Reattachment(ReattachState.Running, Handle: watched.SlurmId);
            }
        }
        var query = await _runner.RunAsync("squeue", SqueueFormat.QueryArguments(_options, SlurmNames.JobName(job.JobId, job.Attempt)), null, _options.CommandTimeout, cancellationToken).ConfigureAwait(false);
        if (!query.Ok)
        {
            // one failed answer is not "gone": watch it, and let the polls tell how it ends
            Track(job, handle ?? "", null);
            return new Reattachment(ReattachState.Running, Handle: handle, Reason: $"squeue failed ({query.Problem}); the job is watched until Slurm answers");
        }
        if (Pick(job, SqueueFormat.Parse(query.Stdout, out _), handle) is { } record)
        {
            var reading = SlurmStates.Read(record);
            if (reading.Phase != SlurmPhase.Ended)
            {
                Track(job, record.JobId, record.SubmitTime);
                return new Reattachment(ReattachState.Running, Handle: record.JobId);
            }
            return Ended(reading, record.JobId);
        }
        if (handle is { Length: > 0 } && long.TryParse(handle, CultureInfo.InvariantCulture, out _))
        {
            var sacct = await _runner.RunAsync("sacct", SqueueFormat.SacctArguments(_options, [handle]), null, _options.CommandTimeout, cancellationToken).ConfigureAwait(false);
            if (sacct.Ok && SqueueFormat.ParseSacct(sacct.Stdout).LastOrDefault(r => r.JobId == handle && r.Name == SlurmNames.JobName(job.JobId, job.Attempt)) is { } past)
            {
                return Ended(SlurmStates.Read(past), past.JobId);
            }
        }
        return new Reattachment(ReattachState.Gone, EndKind: JobEndKind.Lost, Reason: $"cluster '{_options.Cluster}' knows no job named {SlurmNames.JobName(job.JobId, job.Attempt)} (neither squeue nor sacct)");
    }

    public int LookAheadGpus(string site, string pool) => _options.Pools.TryGetValue(pool, out var p) ? p.LookAheadGpus : 0;

    public Task<string> ThrottleAsync(JobRef job, double powerFraction, double tdpWatts, CancellationToken cancellationToken)
    {
        var watts = (int)Math.Round(tdpWatts * powerFraction);
        return Task.FromResult($"power limit {watts} W per GPU recorded; not applied: Slurm sets GPU frequency only at submit (--gpu-freq), and cluster '{_options.Cluster}' has no power-cap hook");
    }

    public void Dispose()
    {
        _stopping.Cancel();
        try
        {
            _poller?.Wait(TimeSpan.FromSeconds(5));
        }
        catch (AggregateException)
        {
            // the loop ended by cancellation
        }
        _stopping.Dispose();
    }

    private SlurmPool Validate(JobLaunch launch)
    {
        if (launch.Command.Count == 0)
        {
            throw new DispatchException("the job has no command");
        }
        if (launch.Attempt < 1)
        {
            throw new DispatchException($"attempt {launch.Attempt} is not an attempt number; attempts count from 1");
        }
        if (!_options.Pools.TryGetValue(launch.Pool, out var pool))
        {
            throw new DispatchException($"pool '{launch.Pool}' of site '{launch.Site}' has no Slurm partition; configured: {string.Join(", ", _options.Pools.Keys)}");
        }
        if (new[] { launch.OutputPath, launch.ErrorPath }.FirstOrDefault(p => p is not null && !Path.IsPathRooted(p)) is { } relative)
        {
            throw new DispatchException($"the output file '{relative}' is relative and the job names no working directory at cluster '{_options.Cluster}'; give --chdir or an absolute path");
        }
        if ((launch.Environment ?? new Dictionary<string, string>()).Keys.FirstOrDefault(k => !BatchScript.IsEnvironmentName(k)) is { } bad)
        {
            throw new DispatchException($"environment variable name '{bad}' is not allowed; use letters, digits and '_', not starting with a digit");
        }
        List<TrackedSlurmJob> superseded;
        lock (_gate)
        {
            if (_jobs.TryGetValue(launch.Job, out var same) && !same.Finished)
            {
                throw new DispatchException($"{launch.Job} is already Slurm job {same.SlurmId}");
            }
            superseded = [.. _jobs.Values.Where(j => j.Job.JobId == launch.JobId && j.Job.Attempt < launch.Attempt && !j.Finished && j.Stopping is null)];
            foreach (var old in superseded)
            {
                old.Stopping = StopKind.Preempt; // its JobStopped, if any, is a stale report for Serai
                old.WasRunningAtStop = true;
            }
        }
        foreach (var old in superseded)
        {
            // Serai has moved on to a later attempt (e.g. after evicting a failed node): the old one must not run beside it
            _ = Task.Run(() => SendCancelAsync(old), CancellationToken.None);
        }
        return pool;
    }

    private string Track(JobRef job, string slurmId, string? submitTime)
    {
        lock (_gate)
        {
            _jobs[job] = new TrackedSlurmJob(job, slurmId) { SubmitTime = submitTime };
        }
        return slurmId;
    }

    /// <summary>This attempt's job in Slurm, looked up by name and matched by comment (ids are reused); null when absent or unknown.</summary>
    private async Task<SlurmJobRecord?> FindAsync(JobRef job, string? preferredId, CancellationToken cancellationToken)
    {
        for (var i = 0; i < 3; i++)
        {
            var query = await _runner.RunAsync("squeue", SqueueFormat.QueryArguments(_options, SlurmNames.JobName(job.JobId, job.Attempt)), null, _options.CommandTimeout, cancellationToken).ConfigureAwait(false);
            if (query.Ok)
            {
                return Pick(job, SqueueFormat.Parse(query.Stdout, out _), preferredId);
            }
            await Task.Delay(TimeSpan.FromSeconds(1), _time, cancellationToken).ConfigureAwait(false);
        }
        throw new DispatchException($"could not tell whether cluster '{_options.Cluster}' holds {job}: squeue failed three times; not submitting again");
    }

    private static SlurmJobRecord? Pick(JobRef job, IEnumerable<SlurmJobRecord> records, string? preferredId)
    {
        var matching = records.Where(r => SlurmNames.Matches(job, r.Name, r.Comment)).ToList();
        return matching.FirstOrDefault(r => r.JobId == preferredId)
            ?? matching.OrderByDescending(r => r.SubmitTime, StringComparer.Ordinal).FirstOrDefault();
    }

    private static Reattachment Ended(SlurmReading reading, string slurmId) =>
        new(ReattachState.Exited, reading.ExitCode, slurmId, reading.EndKind, reading.Reason);

    private static string? ParseJobId(string stdout)
    {
        foreach (var line in stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var id = line.Split(';')[0];
            if (id.Length > 0 && id.All(char.IsAsciiDigit))
            {
                return id;
            }
        }
        return null;
    }

    /// <summary>
    /// The command could not connect to the controller, so nothing it carried arrived (a timeout or an error after the
    /// connection, by contrast, may come after Slurm took the job).
    /// </summary>
    private static bool NeverConnected(CommandResult result) =>
        !result.TimedOut && result.ExitCode > 0
        && (result.Stderr.Contains("(connect failure)", StringComparison.OrdinalIgnoreCase) || result.Stderr.Contains("Connection refused", StringComparison.OrdinalIgnoreCase));

    private static bool IsTransient(CommandResult result) =>
        result.Stderr.Contains("timed out", StringComparison.OrdinalIgnoreCase)
        || result.Stderr.Contains("Unable to contact", StringComparison.OrdinalIgnoreCase)
        || result.Stderr.Contains("temporarily", StringComparison.OrdinalIgnoreCase)
        || result.Stderr.Contains("try again", StringComparison.OrdinalIgnoreCase)
        || result.Stderr.Contains("Connection refused", StringComparison.OrdinalIgnoreCase)
        || result.ExitCode == 255; // ssh's own failures

    private void Raise(BackendEvent backendEvent) => EventRaised?.Invoke(backendEvent);
}
