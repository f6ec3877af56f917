using System.Diagnostics;
using System.Globalization;
using Serai.Execution.Local;

namespace Serai.Execution.Tests.Local;

/// <summary>
/// The local backend believes only its own records of a job's processes, never files a job could write; time limits
/// hold across restarts; a killed wrapper leaves nothing running (defect 2 of issue 9). The forged files are written by
/// the test, as a job could where it runs as the server's own user.
/// </summary>
public sealed class ProcessTrackingTests : IDisposable
{
    private const string Site = "kz-astana";

    private readonly string _directory = Path.Combine(Path.GetTempPath(), "serai-tracking-" + Guid.NewGuid().ToString("N"));
    private readonly Dictionary<int, long?> _victims = [];
    private readonly LocalBackend _backend;
    private readonly EventLog _events;

    public ProcessTrackingTests()
    {
        _backend = NewBackend();
        _events = new EventLog(_backend);
    }

    public void Dispose()
    {
        _backend.Dispose();
        foreach (var (pgid, start) in _victims)
        {
            if (Processes.StartTime(pgid) == start) // never a later process that got the same pid
            {
                Process.Start("kill", ["-s", "KILL", "--", $"-{pgid}"])!.WaitForExit();
            }
        }
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }

    private LocalBackend NewBackend() => new(new LocalBackendOptions(_directory) { KillGraceTime = TimeSpan.FromSeconds(1), PollInterval = TimeSpan.FromMilliseconds(100) });

    private static JobLaunch Launch(long id, string script, long? timeLimitSeconds = null) =>
        new(id, 1, "alpha", Site, "h200", [new LaunchNode(0, null, [0])], "nvidia", ["sh", "-c", script], timeLimitSeconds);

    /// <summary>Whether the job's process group (known by its leader's recorded start time) or a victim still has a live member.</summary>
    private bool Alive(int pgid, long? id = null) =>
        Processes.GroupAlive(pgid, id is { } job ? long.Parse(File.ReadAllText(ControlFile(job, "start")), CultureInfo.InvariantCulture) : _victims[pgid]);

    private string ControlFile(long id, string name) => Path.Combine(_directory, id.ToString(CultureInfo.InvariantCulture), name);

    /// <summary>An unrelated process group of this machine (another tenant's job, a system service) that no stop may touch.</summary>
    private int StartVictim()
    {
        using var victim = Process.Start("setsid", ["sleep", "120"])!;
        _victims[victim.Id] = Processes.StartTime(victim.Id);
        return victim.Id;
    }

    private async Task<int> DispatchAsync(JobLaunch launch) =>
        int.Parse(await _backend.DispatchAsync(launch, default), CultureInfo.InvariantCulture);

    [Fact]
    public async Task A_forged_pid_file_does_not_make_a_cancel_after_a_restart_kill_another_group()
    {
        var victim = StartVictim();
        var launch = Launch(1, "sleep 120");
        var pgid = await DispatchAsync(launch);
        File.WriteAllText(ControlFile(1, "pid"), victim.ToString(CultureInfo.InvariantCulture));

        using var restarted = NewBackend();
        var events = new EventLog(restarted);
        // the server's database holds the handle it was given at dispatch: that is what it reattaches by
        var found = await restarted.ReattachAsync(launch.Job, pgid.ToString(CultureInfo.InvariantCulture), default);
        Assert.Equal((ReattachState.Running, pgid.ToString(CultureInfo.InvariantCulture)), (found.State, found.Handle));
        await restarted.StopAsync(launch.Job, StopKind.Cancel, default);
        Assert.True((await events.WaitForAsync<JobStopped>(e => e.Job == launch.Job)).WasRunning);
        Assert.False(Alive(pgid, 1));
        Assert.True(Alive(victim), "the cancel killed a process group the job named in its pid file");
    }

    [Fact]
    public async Task A_stop_of_an_unwatched_attempt_never_kills_a_group_whose_start_time_is_not_the_recorded_one()
    {
        var victim = StartVictim();
        var launch = Launch(2, "sleep 120");
        var pgid = await DispatchAsync(launch);
        File.WriteAllText(ControlFile(2, "pid"), victim.ToString(CultureInfo.InvariantCulture));

        using var restarted = NewBackend();
        var events = new EventLog(restarted);
        await restarted.StopAsync(launch.Job, StopKind.Cancel, default); // never reattached: only the files are left
        Assert.False((await events.WaitForAsync<JobStopped>(e => e.Job == launch.Job)).WasRunning);
        Assert.True(Alive(victim), "the stop killed a process group the job named in its pid file");
        await _backend.StopAsync(launch.Job, StopKind.Cancel, default);
        await _events.WaitForAsync<JobStopped>(e => e.Job == launch.Job);
        Assert.False(Alive(pgid, 2));
    }

    [Fact]
    public async Task A_forged_exit_code_does_not_end_a_running_attempt_after_a_restart()
    {
        var launch = Launch(3, "sleep 120");
        var pgid = await DispatchAsync(launch);
        File.WriteAllText(ControlFile(3, "exit_code"), "0\n");

        using var restarted = NewBackend();
        var events = new EventLog(restarted);
        var found = await restarted.ReattachAsync(launch.Job, pgid.ToString(CultureInfo.InvariantCulture), default);
        Assert.Equal(ReattachState.Running, found.State);
        await Task.Delay(500); // several polls
        Assert.Empty(events.Of<JobEnded>());
        await restarted.StopAsync(launch.Job, StopKind.Cancel, default);
        Assert.True((await events.WaitForAsync<JobStopped>(e => e.Job == launch.Job)).WasRunning);
    }

    [Fact]
    public async Task A_forged_exit_code_written_while_running_is_not_the_reported_one()
    {
        var launch = Launch(4, "echo ready; sleep 1; exit 3");
        await DispatchAsync(launch);
        File.WriteAllText(ControlFile(4, "exit_code"), "0\n");
        var ended = await _events.WaitForAsync<JobEnded>(e => e.Job == launch.Job);
        Assert.Equal((JobEndKind.Exited, 3), (ended.Kind, ended.ExitCode));
    }

    [Fact]
    public async Task The_time_limit_still_holds_after_a_restart()
    {
        var launch = Launch(5, "sleep 120", timeLimitSeconds: 2);
        var pgid = await DispatchAsync(launch);
        _backend.Dispose(); // the first server goes away: its timers with it

        using var restarted = NewBackend();
        var events = new EventLog(restarted);
        var clock = Stopwatch.StartNew();
        Assert.Equal(ReattachState.Running, (await restarted.ReattachAsync(launch.Job, pgid.ToString(CultureInfo.InvariantCulture), default)).State);
        var ended = await events.WaitForAsync<JobEnded>(e => e.Job == launch.Job);
        Assert.Equal(JobEndKind.TimedOut, ended.Kind);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"timed out after {clock.Elapsed}");
        Assert.False(Alive(pgid, 5));
    }

    [Fact]
    public async Task Killing_the_wrapper_stops_the_command_before_the_attempt_is_reported_ended()
    {
        var launch = Launch(6, "echo ready; sleep 120");
        var pgid = await DispatchAsync(launch);
        await WaitForOutputAsync(6);
        var groupAtEnd = new TaskCompletionSource<bool>();
        _backend.EventRaised += e =>
        {
            if (e is JobEnded ended && ended.Job == launch.Job)
            {
                groupAtEnd.TrySetResult(Alive(pgid, 6));
            }
        };
        Process.Start("kill", ["-s", "KILL", pgid.ToString(CultureInfo.InvariantCulture)])!.WaitForExit(); // the wrapper only
        var ended = await _events.WaitForAsync<JobEnded>(e => e.Job == launch.Job);
        Assert.False(await groupAtEnd.Task, "the attempt was reported ended (its GPUs freed) while its command still ran");
        Assert.Equal(JobEndKind.Lost, ended.Kind);
        Assert.Contains("were stopped", ended.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_wrapper_killed_while_the_server_was_down_leaves_nothing_running_after_the_restart()
    {
        var launch = Launch(7, "echo ready; sleep 120");
        var pgid = await DispatchAsync(launch);
        await WaitForOutputAsync(7);
        _backend.Dispose();
        Process.Start("kill", ["-s", "KILL", pgid.ToString(CultureInfo.InvariantCulture)])!.WaitForExit();
        var leader = Processes.StartTime(pgid);
        await WaitUntilAsync(() => !Processes.ProcessAlive(pgid) || Processes.StartTime(pgid) != leader);
        Assert.True(Alive(pgid, 7)); // the command outlived its wrapper

        using var restarted = NewBackend();
        var found = await restarted.ReattachAsync(launch.Job, pgid.ToString(CultureInfo.InvariantCulture), default);
        Assert.Equal((ReattachState.Gone, JobEndKind.Lost), (found.State, found.EndKind));
        Assert.False(Alive(pgid, 7));
    }

    [Fact]
    public async Task A_reattached_attempt_whose_wrapper_is_killed_is_ended_with_nothing_left()
    {
        var launch = Launch(8, "echo ready; sleep 120");
        var pgid = await DispatchAsync(launch);
        await WaitForOutputAsync(8);
        using var restarted = NewBackend();
        var events = new EventLog(restarted);
        Assert.Equal(ReattachState.Running, (await restarted.ReattachAsync(launch.Job, pgid.ToString(CultureInfo.InvariantCulture), default)).State);
        Process.Start("kill", ["-s", "KILL", pgid.ToString(CultureInfo.InvariantCulture)])!.WaitForExit();
        var ended = await events.WaitForAsync<JobEnded>(e => e.Job == launch.Job);
        Assert.Equal(JobEndKind.Lost, ended.Kind);
        Assert.False(Alive(pgid, 8));
    }

    [Fact]
    public async Task Processes_a_job_leaves_behind_are_stopped_when_it_ends()
    {
        var launch = Launch(9, "sleep 120 & echo left");
        var pgid = await DispatchAsync(launch);
        var ended = await _events.WaitForAsync<JobEnded>(e => e.Job == launch.Job);
        Assert.Equal((JobEndKind.Exited, 0), (ended.Kind, ended.ExitCode));
        Assert.False(Alive(pgid, 9));
    }

    /// <summary>
    /// A stop can come before the job's first process has made itself a group leader (setsid runs just after the fork,
    /// and a loaded machine can delay it): the group does not exist yet, so the signal goes to that process itself,
    /// and the stop does not count it as already ended. Here the process never leads a group, the case held open.
    /// </summary>
    [Fact]
    public async Task A_stop_before_the_leader_has_made_its_group_still_reaches_the_leader()
    {
        using var notYetLeader = Process.Start("sleep", ["120"])!; // in the test's own group, as a job is until setsid
        var start = Processes.StartTime(notYetLeader.Id);
        Assert.NotEqual(notYetLeader.Id, ProcessGroups.GroupOf(notYetLeader.Id));
        Assert.Equal(Termination.Terminated, await ProcessGroups.TerminateAsync(notYetLeader.Id, start, TimeSpan.FromSeconds(5), default));
        Assert.True(notYetLeader.WaitForExit(5000), "the process was not signalled");
    }

    [Fact]
    public async Task A_dispatch_returns_once_the_job_leads_its_own_group()
    {
        for (var id = 20; id < 30; id++)
        {
            var launch = Launch(id, "sleep 60");
            var pgid = await DispatchAsync(launch);
            Assert.Equal(pgid, ProcessGroups.GroupOf(pgid));
            await _backend.StopAsync(launch.Job, StopKind.Cancel, default);
            Assert.True((await _events.WaitForAsync<JobStopped>(e => e.Job == launch.Job)).WasRunning);
            Assert.False(Alive(pgid, id));
        }
    }

    private async Task WaitForOutputAsync(long id) =>
        await WaitUntilAsync(() => File.Exists(ControlFile(id, "stdout.log")) && File.ReadAllText(ControlFile(id, "stdout.log")).Contains("ready", StringComparison.Ordinal));

    private static async Task WaitUntilAsync(Func<bool> condition, double seconds = 15)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "the condition did not come true in time");
            await Task.Delay(20);
        }
    }
}
