using System.Diagnostics;
using System.Text;
using Serai.Execution.Local;

namespace Serai.Execution.Tests.Local;

/// <summary>The local backend runs real processes: attempts append to the logs, stops return at once and are confirmed by event.</summary>
public sealed class LocalBackendTests : IDisposable
{
    private const string Site = "kz-astana";
    private static readonly DateTimeOffset Started = new(2026, 11, 29, 5, 0, 0, TimeSpan.Zero);

    private readonly string _directory = Path.Combine(Path.GetTempPath(), "serai-local-" + Guid.NewGuid().ToString("N"));
    private readonly LocalBackend _backend;
    private readonly EventLog _events;

    public LocalBackendTests()
    {
        _backend = NewBackend();
        _events = new EventLog(_backend);
    }

    public void Dispose()
    {
        _backend.Dispose();
        Directory.Delete(_directory, recursive: true);
    }

    private LocalBackend NewBackend() =>
        new(new LocalBackendOptions(_directory) { KillGraceTime = TimeSpan.FromSeconds(1.5) }, new FixedTime(Started));

    private static JobLaunch Launch(long id, int attempt, string script, long? timeLimitSeconds = null) =>
        new(id, attempt, "alpha", Site, "h200", [new LaunchNode(0, null, [2, 3])], "nvidia", ["sh", "-c", script], timeLimitSeconds);

    private async Task<string> ReadAllAsync(long id, LogStream stream = LogStream.Stdout) =>
        Encoding.UTF8.GetString((await _backend.ReadLogAsync(Site, id, stream, 0, 1 << 20, default)).Bytes);

    private async Task<JobEnded> RunToEndAsync(JobLaunch launch)
    {
        await _backend.DispatchAsync(launch, default);
        return await _events.WaitForAsync<JobEnded>(e => e.Job == launch.Job);
    }

    [Fact]
    public async Task A_job_that_exits_is_reported_with_its_exit_code_and_sees_its_gpus_and_attempt()
    {
        var ended = await RunToEndAsync(Launch(1, 1, "echo $CUDA_VISIBLE_DEVICES $SERAI_ATTEMPT $SERAI_SITE $SERAI_NODES; exit 3"));
        Assert.Equal(new JobEnded(new JobRef(1, 1, Site), JobEndKind.Exited, 3, "exited with code 3"), ended);
        Assert.Equal("2,3 1 kz-astana h200:0:2,3\n", await ReadAllAsync(1));
    }

    [Fact]
    public async Task A_later_attempt_appends_its_output_after_a_marker_line()
    {
        await RunToEndAsync(Launch(42, 1, "echo one; printf 'no newline' >&2"));
        await RunToEndAsync(Launch(42, 2, "echo two; echo err2 >&2"));

        const string marker = "==== serai: job 42 attempt 2 started 2026-11-29T05:00:00Z on kz-astana/h200 ====\n";
        Assert.Equal("one\n" + marker + "two\n", await ReadAllAsync(42));
        Assert.Equal("no newline\n" + marker + "err2\n", await ReadAllAsync(42, LogStream.Stderr));
    }

    [Fact]
    public async Task Stop_returns_before_the_process_dies_and_JobStopped_follows_once_it_is_gone()
    {
        // the job ignores SIGTERM, so only SIGKILL after the grace time ends it
        var launch = Launch(5, 1, "trap '' TERM; echo ready; sleep 60");
        var pgid = int.Parse(await _backend.DispatchAsync(launch, default), System.Globalization.CultureInfo.InvariantCulture);
        await WaitUntilAsync(async () => (await ReadAllAsync(5)).Contains("ready", StringComparison.Ordinal));
        // the job's own processes, by pid and start time: on a busy machine the group's id may go to a new group once ours is gone
        await WaitUntilAsync(() => Task.FromResult(Processes.LiveMembers(pgid).Any(m => m.Name == "sleep")));
        var members = Processes.LiveMembers(pgid);

        var clock = Stopwatch.StartNew();
        await _backend.StopAsync(launch.Job, StopKind.Preempt, default);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(1), $"StopAsync took {clock.Elapsed}");
        Assert.True(Processes.GroupAlive(pgid, StartOf(5)));
        Assert.Empty(_events.Of<JobStopped>());

        var stopped = await _events.WaitForAsync<JobStopped>(e => e.Job == launch.Job);
        Assert.False(Processes.AnyAlive(members), $"still alive after JobStopped ({stopped.WasRunning}, '{stopped.Reason}', {clock.Elapsed.TotalSeconds:F1} s; leader {pgid}): {string.Join(", ", members.Where(m => Processes.ProcessAlive(m.Pid)))}; events: {string.Join(" | ", _events.All.Select(e => e.ToString()))}");
        Assert.True(clock.Elapsed >= TimeSpan.FromSeconds(1.5), $"confirmed after {clock.Elapsed}, before the grace time");
        Assert.Equal((StopKind.Preempt, true), (stopped.Kind, stopped.WasRunning));
        Assert.Contains("SIGKILL", stopped.Reason, StringComparison.Ordinal);
        await Task.Delay(200);
        Assert.Empty(_events.Of<JobEnded>()); // a stopped attempt does not also "end"
        Assert.Single(_events.Of<JobStopped>());
    }

    [Fact]
    public async Task A_job_that_ends_on_SIGTERM_is_confirmed_without_waiting_for_the_grace_time()
    {
        var launch = Launch(6, 1, "echo ready; sleep 60");
        await _backend.DispatchAsync(launch, default);
        await WaitUntilAsync(async () => (await ReadAllAsync(6)).Length > 0);
        var clock = Stopwatch.StartNew();
        await _backend.StopAsync(launch.Job, StopKind.Cancel, default);
        var stopped = await _events.WaitForAsync<JobStopped>(e => e.Job == launch.Job);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(1.5), $"confirmed after {clock.Elapsed}");
        Assert.Contains("SIGTERM", stopped.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_stop_of_an_attempt_that_does_not_run_is_confirmed_at_once()
    {
        await RunToEndAsync(Launch(7, 1, "true"));
        await _backend.StopAsync(new JobRef(7, 1, Site), StopKind.Cancel, default);
        await _backend.StopAsync(new JobRef(8, 1, Site), StopKind.Cancel, default);
        Assert.Equal([false, false], _events.Of<JobStopped>().Select(e => e.WasRunning));
    }

    [Fact]
    public async Task ReadLogAsync_reads_from_an_offset_and_says_whether_more_may_come()
    {
        await RunToEndAsync(Launch(9, 1, "printf 'hello world\\n'"));
        var first = await _backend.ReadLogAsync(Site, 9, LogStream.Stdout, 0, 5, default);
        var rest = await _backend.ReadLogAsync(Site, 9, LogStream.Stdout, first.NextOffsetBytes, 100, default);
        var end = await _backend.ReadLogAsync(Site, 9, LogStream.Stdout, rest.NextOffsetBytes, 100, default);
        var unknown = await _backend.ReadLogAsync(Site, 404, LogStream.Stdout, 3, 100, default);

        Assert.Equal(("hello", 5L, true), (Encoding.UTF8.GetString(first.Bytes), first.NextOffsetBytes, first.MoreMayCome));
        Assert.Equal((" world\n", 12L, false), (Encoding.UTF8.GetString(rest.Bytes), rest.NextOffsetBytes, rest.MoreMayCome));
        Assert.Equal((0, 12L, false), (end.Bytes.Length, end.NextOffsetBytes, end.MoreMayCome));
        Assert.Equal((0, 3L, false), (unknown.Bytes.Length, unknown.NextOffsetBytes, unknown.MoreMayCome));
    }

    [Fact]
    public async Task A_running_job_may_write_more_even_at_the_end_of_its_log()
    {
        var launch = Launch(10, 1, "echo a; sleep 60");
        await _backend.DispatchAsync(launch, default);
        await WaitUntilAsync(async () => (await ReadAllAsync(10)).Length > 0);
        var chunk = await _backend.ReadLogAsync(Site, 10, LogStream.Stdout, 2, 100, default);
        Assert.Equal((2L, true), (chunk.NextOffsetBytes, chunk.MoreMayCome));
        await _backend.StopAsync(launch.Job, StopKind.Cancel, default);
        await _events.WaitForAsync<JobStopped>(e => e.Job == launch.Job);
    }

    [Fact]
    public async Task A_job_past_its_time_limit_ends_as_timed_out()
    {
        var ended = await RunToEndAsync(Launch(11, 1, "sleep 60", timeLimitSeconds: 1));
        Assert.Equal((JobEndKind.TimedOut, (int?)null), (ended.Kind, ended.ExitCode));
    }

    [Fact]
    public async Task A_second_attempt_is_refused_while_the_first_still_runs()
    {
        var first = Launch(12, 1, "sleep 60");
        await _backend.DispatchAsync(first, default);
        var error = await Assert.ThrowsAsync<DispatchException>(() => _backend.DispatchAsync(Launch(12, 2, "true"), default));
        Assert.Contains("job 12 attempt 1 at kz-astana still runs here", error.Message, StringComparison.Ordinal);
        await _backend.StopAsync(first.Job, StopKind.Preempt, default);
        await _events.WaitForAsync<JobStopped>(e => e.Job == first.Job);
    }

    [Fact]
    public async Task After_a_restart_an_ended_attempt_is_found_with_its_exit_code_and_another_attempt_is_gone()
    {
        await RunToEndAsync(Launch(13, 1, "exit 4"));
        using var restarted = NewBackend();
        var found = await restarted.ReattachAsync(new JobRef(13, 1, Site), null, default);
        var other = await restarted.ReattachAsync(new JobRef(13, 2, Site), null, default);
        Assert.Equal((ReattachState.Exited, 4, JobEndKind.Exited), (found.State, found.ExitCode, found.EndKind));
        Assert.Equal((ReattachState.Gone, JobEndKind.Lost), (other.State, other.EndKind));
    }

    [Fact]
    public async Task After_a_restart_a_running_attempt_is_watched_again_and_can_be_stopped()
    {
        var launch = Launch(14, 1, "sleep 60");
        var handle = await _backend.DispatchAsync(launch, default);
        var pgid = int.Parse(handle, System.Globalization.CultureInfo.InvariantCulture);
        using var restarted = NewBackend();
        var events = new EventLog(restarted);
        var found = await restarted.ReattachAsync(launch.Job, handle, default);
        Assert.Equal((ReattachState.Running, handle), (found.State, found.Handle));
        await restarted.StopAsync(launch.Job, StopKind.Cancel, default);
        Assert.True((await events.WaitForAsync<JobStopped>(e => e.Job == launch.Job)).WasRunning);
        Assert.False(Processes.GroupAlive(pgid, StartOf(14)), Processes.Members(pgid));
    }

    /// <summary>The start time of the job's process-group leader, as the backend recorded it.</summary>
    private long StartOf(long id) => long.Parse(File.ReadAllText(Path.Combine(_directory, id.ToString(System.Globalization.CultureInfo.InvariantCulture), "start")), System.Globalization.CultureInfo.InvariantCulture);

    private static async Task WaitUntilAsync(Func<Task<bool>> condition, double seconds = 15)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "the condition did not come true in time");
            await Task.Delay(20);
        }
    }
}
