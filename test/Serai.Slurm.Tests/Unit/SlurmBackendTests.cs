using Serai.Execution;
using Serai.Execution.Slurm;
using Serai.Execution.Slurm.Commands;

namespace Serai.Slurm.Tests.Unit;

/// <summary>The backend against recorded Slurm answers: the poll is driven by hand, so every step is deterministic.</summary>
public sealed class SlurmBackendTests
{
    private const string Comment7 = "serai job=7 attempt=1 site=kz";
    private volatile string _squeue = "";
    private volatile CommandResult? _squeueFailure;

    private (SlurmBackend Backend, FakeRunner Runner, EventLog Events) Make(Func<string, IReadOnlyList<string>, string?, CommandResult?>? extra = null)
    {
        var runner = new FakeRunner((program, args, input) => extra?.Invoke(program, args, input) ?? program switch
        {
            "sbatch" => FakeRunner.Ok("41\n"),
            "squeue" => _squeueFailure ?? FakeRunner.Ok(_squeue),
            "sinfo" => FakeRunner.Ok(""),
            _ => FakeRunner.Ok(),
        });
        var backend = new SlurmBackend(Launches.Options(), runner, startPolling: false);
        return (backend, runner, new EventLog(backend));
    }

    [Fact]
    public async Task Dispatch_submits_once_and_returns_the_slurm_id()
    {
        var (backend, runner, _) = Make();
        Assert.Equal("41", await backend.DispatchAsync(Launches.Launch(), CancellationToken.None));
        Assert.Equal(1, runner.Count("sbatch"));
        Assert.Contains("exec 'echo' 'hello'", runner.Calls.Single(c => c.Program == "sbatch").Input, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_submit_that_timed_out_is_looked_up_by_name_and_not_sent_twice()
    {
        _squeue = FakeRunner.Squeue("41", "PENDING", "Priority", "serai-7-1", Comment7);
        var (backend, runner, _) = Make((program, _, _) => program == "sbatch" ? new CommandResult(-1, "", "", TimedOut: true) : null);
        Assert.Equal("41", await backend.DispatchAsync(Launches.Launch(), CancellationToken.None));
        Assert.Equal(1, runner.Count("sbatch"));
    }

    [Fact]
    public async Task A_refused_submit_is_a_dispatch_error_with_slurms_words()
    {
        var (backend, _, _) = Make((program, _, _) => program == "sbatch" ? new CommandResult(1, "", "sbatch: error: Batch job submission failed: Invalid account or account/partition combination specified") : null);
        var e = await Assert.ThrowsAsync<DispatchException>(() => backend.DispatchAsync(Launches.Launch(), CancellationToken.None));
        Assert.Contains("Invalid account", e.Message, StringComparison.Ordinal);
        Assert.False(e.SiteUnreachable);
    }

    [Fact]
    public async Task A_submit_that_cannot_connect_to_the_controller_is_tried_again_without_lookups_and_reported_as_an_unreachable_site()
    {
        var (backend, runner, _) = Make((program, _, _) => program == "sbatch"
            ? new CommandResult(1, "", "sbatch: error: Batch job submission failed: Unable to contact slurm controller (connect failure)")
            : null);
        var e = await Assert.ThrowsAsync<DispatchException>(() => backend.DispatchAsync(Launches.Launch(), CancellationToken.None));
        Assert.True(e.SiteUnreachable, e.Message); // nothing reached Slurm: Serai may place the job again
        Assert.Equal(3, runner.Count("sbatch"));
        Assert.Equal(0, runner.Count("squeue"));
    }

    [Fact]
    public async Task A_submit_that_timed_out_every_time_and_is_not_found_is_not_taken_for_an_unreachable_site()
    {
        _squeue = "";
        var (backend, runner, _) = Make((program, _, _) => program == "sbatch" ? new CommandResult(-1, "", "", TimedOut: true) : null);
        var e = await Assert.ThrowsAsync<DispatchException>(() => backend.DispatchAsync(Launches.Launch(), CancellationToken.None));
        Assert.False(e.SiteUnreachable); // a timed-out submit may have reached Slurm
        Assert.Equal(3, runner.Count("squeue")); // looked up before each later try and once after the last
    }

    [Fact]
    public async Task A_pool_without_a_partition_or_a_bad_variable_name_is_refused_before_slurm_is_asked()
    {
        var (backend, runner, _) = Make();
        await Assert.ThrowsAsync<DispatchException>(() => backend.DispatchAsync(Launches.Launch() with { Pool = "mi300" }, CancellationToken.None));
        await Assert.ThrowsAsync<DispatchException>(() => backend.DispatchAsync(Launches.Launch() with { Environment = new Dictionary<string, string> { ["A;rm"] = "x" } }, CancellationToken.None));
        Assert.Equal(0, runner.Count("sbatch"));
    }

    [Fact]
    public async Task Many_jobs_cost_one_squeue_per_poll_and_an_ending_is_reported_once()
    {
        var (backend, runner, events) = Make((program, _, _) => program == "sbatch" ? FakeRunner.Ok(((_nextId++) + 100).ToString(System.Globalization.CultureInfo.InvariantCulture)) : null);
        for (var job = 1; job <= 20; job++)
        {
            await backend.DispatchAsync(Launches.Launch(jobId: job), CancellationToken.None);
        }
        _squeue = FakeRunner.Squeue("100", "COMPLETED", "None", "serai-1-1", "serai job=1 attempt=1 site=kz", status: 0)
            + FakeRunner.Squeue("101", "FAILED", "NonZeroExitCode", "serai-2-1", "serai job=2 attempt=1 site=kz", status: 768);
        await backend.PollOnceAsync(CancellationToken.None);
        await backend.PollOnceAsync(CancellationToken.None);
        Assert.Equal(2, runner.Count("squeue"));
        var ended = events.Of<JobEnded>().ToList();
        Assert.Equal(2, ended.Count);
        Assert.Equal(3, ended.Single(e => e.Job.JobId == 2).ExitCode);
    }

    private int _nextId;

    [Fact]
    public async Task An_empty_or_failed_answer_does_not_end_jobs_and_repeated_failures_report_the_site()
    {
        var (backend, _, events) = Make();
        await backend.DispatchAsync(Launches.Launch(), CancellationToken.None);
        _squeue = "";
        await backend.PollOnceAsync(CancellationToken.None); // one empty answer: a miss, not an ending
        _squeueFailure = new CommandResult(1, "", "squeue: error: Unable to contact slurm controller");
        for (var i = 0; i < 3; i++)
        {
            await backend.PollOnceAsync(CancellationToken.None);
        }
        Assert.Empty(events.Of<JobEnded>());
        Assert.Single(events.Of<SiteStateChanged>(), e => e.State == SiteState.Down);
        _squeueFailure = null;
        _squeue = FakeRunner.Squeue("41", "RUNNING", "None", "serai-7-1", Comment7);
        await backend.PollOnceAsync(CancellationToken.None);
        Assert.Single(events.Of<SiteStateChanged>(), e => e.State == SiteState.Up);
        Assert.Empty(events.Of<JobEnded>());
    }

    [Fact]
    public async Task A_reused_job_id_with_another_name_is_not_taken_for_ours()
    {
        var (backend, _, events) = Make();
        await backend.DispatchAsync(Launches.Launch(), CancellationToken.None);
        _squeue = FakeRunner.Squeue("41", "COMPLETED", "None", "someone-elses-job", "");
        await backend.PollOnceAsync(CancellationToken.None);
        Assert.Empty(events.Of<JobEnded>());
    }

    [Fact]
    public async Task A_job_that_can_never_start_is_cancelled_there_and_then_reported_as_a_node_failure_to_place_again()
    {
        var (backend, runner, events) = Make();
        await backend.DispatchAsync(Launches.Launch(), CancellationToken.None);
        _squeue = FakeRunner.Squeue("41", "PENDING", "PartitionNodeLimit", "serai-7-1", Comment7);
        await backend.PollOnceAsync(CancellationToken.None);
        Assert.Equal(1, runner.Count("scancel"));
        Assert.Empty(events.Of<JobEnded>()); // not before Slurm has let go of it
        _squeue = FakeRunner.Squeue("41", "CANCELLED", "PartitionNodeLimit", "serai-7-1", Comment7);
        await backend.PollOnceAsync(CancellationToken.None);
        var ended = Assert.Single(events.Of<JobEnded>());
        Assert.Equal(JobEndKind.NodeFailure, ended.Kind);
        Assert.Contains("more nodes than the partition", ended.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Every_stop_gets_exactly_one_JobStopped_once_the_query_shows_it_ended_and_no_JobEnded()
    {
        var (backend, runner, events) = Make();
        await backend.DispatchAsync(Launches.Launch(), CancellationToken.None);
        _squeue = FakeRunner.Squeue("41", "RUNNING", "None", "serai-7-1", Comment7);
        await backend.StopAsync(new JobRef(7, 1, "kz"), StopKind.Preempt, CancellationToken.None);
        await backend.StopAsync(new JobRef(7, 1, "kz"), StopKind.Cancel, CancellationToken.None);
        await WaitUntil(() => runner.Count("scancel") == 1);
        await backend.PollOnceAsync(CancellationToken.None);
        Assert.Empty(events.Of<JobStopped>()); // scancel exits 0 for anything: only a query proves it
        _squeue = FakeRunner.Squeue("41", "CANCELLED", "None", "serai-7-1", Comment7);
        await backend.PollOnceAsync(CancellationToken.None);
        await backend.PollOnceAsync(CancellationToken.None);
        var stopped = Assert.Single(events.Of<JobStopped>());
        Assert.Equal((StopKind.Preempt, true), (stopped.Kind, stopped.WasRunning));
        Assert.Empty(events.Of<JobEnded>());
    }

    [Fact]
    public async Task A_later_attempt_supersedes_an_earlier_one_still_in_slurm_which_is_cancelled_there()
    {
        var (backend, runner, events) = Make();
        await backend.DispatchAsync(Launches.Launch(attempt: 1), CancellationToken.None);
        await backend.DispatchAsync(Launches.Launch(attempt: 2), CancellationToken.None);
        await WaitUntil(() => runner.Count("scancel") == 1);
        await Assert.ThrowsAsync<DispatchException>(() => backend.DispatchAsync(Launches.Launch(attempt: 2), CancellationToken.None));
        _squeue = FakeRunner.Squeue("41", "CANCELLED", "None", "serai-7-1", Comment7);
        await backend.PollOnceAsync(CancellationToken.None);
        Assert.Equal(1, Assert.Single(events.Of<JobStopped>()).Job.Attempt); // a stale report for Serai
        Assert.Empty(events.Of<JobEnded>());
    }

    [Fact]
    public async Task A_stop_for_an_unknown_attempt_is_answered_as_not_running()
    {
        var (backend, _, events) = Make();
        await backend.StopAsync(new JobRef(9, 1, "kz"), StopKind.Cancel, CancellationToken.None);
        var stopped = await events.WaitForAsync<JobStopped>(_ => true);
        Assert.False(stopped.WasRunning);
    }

    [Fact]
    public async Task A_job_gone_from_squeue_gets_its_end_from_sacct()
    {
        var (backend, runner, events) = Make((program, _, _) => program == "sacct" ? FakeRunner.Ok("41|serai-7-1|TIMEOUT|0:0|kz-n2\n") : null);
        await backend.DispatchAsync(Launches.Launch(), CancellationToken.None);
        _squeue = "";
        await backend.PollOnceAsync(CancellationToken.None);
        Assert.Equal(0, runner.Count("sacct"));
        await backend.PollOnceAsync(CancellationToken.None);
        Assert.Equal(1, runner.Count("sacct"));
        Assert.Equal(JobEndKind.TimedOut, Assert.Single(events.Of<JobEnded>()).Kind);
    }

    [Fact]
    public async Task Reattach_finds_the_attempt_by_name_and_comment_and_reads_a_finished_one()
    {
        _squeue = FakeRunner.Squeue("41", "RUNNING", "None", "serai-7-1", Comment7) + FakeRunner.Squeue("41", "COMPLETED", "None", "serai-7-1", "serai job=7 attempt=1 site=uz");
        var (backend, _, _) = Make();
        var running = await backend.ReattachAsync(new JobRef(7, 1, "kz"), "41", CancellationToken.None);
        Assert.Equal((ReattachState.Running, "41"), (running.State, running.Handle));
        _squeue = FakeRunner.Squeue("52", "FAILED", "NonZeroExitCode", "serai-8-2", "serai job=8 attempt=2 site=kz", status: 256);
        var ended = await backend.ReattachAsync(new JobRef(8, 2, "kz"), "52", CancellationToken.None);
        Assert.Equal((ReattachState.Exited, 1), (ended.State, ended.ExitCode));
        _squeue = "";
        var gone = await backend.ReattachAsync(new JobRef(9, 1, "kz"), null, CancellationToken.None);
        Assert.Equal(ReattachState.Gone, gone.State);
    }

    [Fact]
    public async Task Nodes_going_down_and_coming_back_become_node_events_with_pool_indexes()
    {
        const char s = '\x1f';
        var sinfo = $"kz-n1{s}idle{s}gpu:h100:4{s}gpu:h100:0(IDX:N/A){s}gpu*{s}none{s}\nkz-n2{s}down{s}gpu:h100:4{s}gpu:h100:0(IDX:N/A){s}gpu*{s}test{s}\n";
        var (backend, _, events) = Make((program, _, _) => program == "sinfo" ? FakeRunner.Ok(sinfo) : null);
        await backend.PollOnceAsync(CancellationToken.None);
        var down = Assert.Single(events.Of<NodeStateChanged>());
        Assert.Equal(("h100", 1, NodeState.Down), (down.Pool, down.NodeIndex!.Value, down.State));
        Assert.Equal(4, backend.Capacity["h100"].FreeGpus);
        var observed = events.Of<PoolGpusObserved>().Last();
        Assert.Equal(("kz", "h100", 4), (observed.Site, observed.Pool, observed.NotFree));
        Assert.Equal([0, 4], observed.NotFreeByNode);
        sinfo = sinfo.Replace("down", "mixed", StringComparison.Ordinal).Replace("gpu:h100:0(IDX:N/A){s}gpu*{s}test".Replace("{s}", s.ToString(), StringComparison.Ordinal), $"gpu:h100:1(IDX:0){s}gpu*{s}none", StringComparison.Ordinal);
        await backend.PollOnceAsync(CancellationToken.None);
        Assert.Equal(NodeState.Up, events.Of<NodeStateChanged>().Last().State);
        Assert.Equal(7, backend.Capacity["h100"].FreeGpus);
        Assert.Equal([0, 1], events.Of<PoolGpusObserved>().Last().NotFreeByNode);
    }

    private static async Task WaitUntil(Func<bool> condition)
    {
        for (var i = 0; i < 200 && !condition(); i++)
        {
            await Task.Delay(10);
        }
        Assert.True(condition());
    }
}
