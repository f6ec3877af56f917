using Serai.Execution;

namespace Serai.Slurm.Tests.Live;

/// <summary>The kz site beside the lifecycle tests: a node taken down under a running job (kz-n2), a restart of Serai.</summary>
[Collection(SerialSlurm.Name)]
public sealed class NodeAndRestartTests
{
    [Fact]
    public async Task A_node_set_down_under_a_running_job_ends_the_attempt_as_a_node_failure()
    {
        if (!LiveClusters.Available())
        {
            return;
        }
        using var backend = LiveClusters.Backend("kz");
        var events = new EventLog(backend);
        var launch = LiveClusters.Launch("kz", 1, ["sh", "-c", "echo started; sleep 300"]);
        await backend.DispatchAsync(launch, CancellationToken.None);
        try
        {
            await LiveClusters.WaitUntilAsync(async () => (await LiveClusters.ReadAllLogAsync(backend, "kz", launch.JobId)).Contains("started", StringComparison.Ordinal), 20, "the job starting");
            var down = await LiveClusters.Slurm("kz", "scontrol", "update", "nodename=kz-n2", "state=down", "reason=serai-test");
            Assert.True(down.Ok, down.Problem);
            var ended = await events.WaitForAsync<JobEnded>(e => e.Job == launch.Job, 30);
            Assert.Equal(JobEndKind.NodeFailure, ended.Kind);
            Assert.Contains("node", ended.Reason, StringComparison.Ordinal);
            var node = await events.WaitForAsync<NodeStateChanged>(e => e.NodeName == "kz-n2" && e.State == NodeState.Down, 15);
            Assert.Equal(("h100", 1), (node.Pool, node.NodeIndex!.Value));
            Assert.Contains("serai-test", node.Reason, StringComparison.Ordinal);
        }
        finally
        {
            await LiveClusters.ResumeAsync("kz", "kz-n2");
        }
        await events.WaitForAsync<NodeStateChanged>(e => e.NodeName == "kz-n2" && e.State == NodeState.Up, 20);
    }

    [Fact]
    public async Task Restart_reconciles_running_and_finished_jobs_exactly_once()
    {
        if (!LiveClusters.Available())
        {
            return;
        }
        var quick = LiveClusters.Launch("kz", 0, ["sh", "-c", "exit 4"]);
        var slow = LiveClusters.Launch("kz", 0, ["sh", "-c", "sleep 15; exit 0"]);
        string quickHandle, slowHandle;
        using (var before = LiveClusters.Backend("kz"))
        {
            quickHandle = await before.DispatchAsync(quick, CancellationToken.None);
            slowHandle = await before.DispatchAsync(slow, CancellationToken.None);
        } // "Serai restarts": the first backend is gone before either job ended
        await LiveClusters.WaitUntilAsync(async () => (await LiveClusters.Slurm("kz", "squeue", "-h", "-t", "all", "-j", quickHandle, "-o", "%T")).Stdout.Trim() == "FAILED", 30, "the quick job ending while Serai is down");
        using var after = LiveClusters.Backend("kz");
        var events = new EventLog(after);
        var quickNow = await after.ReattachAsync(quick.Job, quickHandle, CancellationToken.None);
        var slowNow = await after.ReattachAsync(slow.Job, slowHandle, CancellationToken.None);
        Assert.True(quickNow is { State: ReattachState.Exited, ExitCode: 4 }, quickNow.ToString());
        Assert.Equal(ReattachState.Running, slowNow.State);
        var slowEnd = await events.WaitForAsync<JobEnded>(e => e.Job == slow.Job, 30);
        Assert.Equal(0, slowEnd.ExitCode);
        await Task.Delay(1500);
        Assert.Single(events.Of<JobEnded>()); // the finished one is not reported again, the running one once
        var stranger = await after.ReattachAsync(LiveClusters.Launch("kz", 0, ["true"]).Job, quickHandle, CancellationToken.None);
        Assert.Equal(ReattachState.Gone, stranger.State); // a reused id with another name is not ours
    }
}
