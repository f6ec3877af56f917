using Serai.Execution;

namespace Serai.Slurm.Tests.Live;

/// <summary>Jobs through the backend on the two real clusters: exit codes, output, cancel.</summary>
[Collection(SerialSlurm.Name)]
public sealed class JobLifecycleTests
{
    [Fact]
    public async Task A_job_runs_on_each_site_completes_and_reports_its_exit_code_and_gpus()
    {
        if (!LiveClusters.Available())
        {
            return;
        }
        using var router = new BackendRouter([KeyValuePair.Create("kz", (IExecutionBackend)LiveClusters.Backend("kz")), KeyValuePair.Create("uz", (IExecutionBackend)LiveClusters.Backend("uz"))]);
        var events = new EventLog(router);
        var kz = LiveClusters.Launch("kz", 0, ["sh", "-c", "echo gpus=$CUDA_VISIBLE_DEVICES site=$SERAI_SITE; echo oops >&2; exit 3"], gpus: 2);
        var uz = LiveClusters.Launch("uz", 0, ["sh", "-c", "echo 'quoted $HOME `x`'; exit 0"]);
        var kzHandle = await router.DispatchAsync(kz, CancellationToken.None);
        var uzHandle = await router.DispatchAsync(uz, CancellationToken.None);
        Assert.True(long.TryParse(kzHandle, out _) && long.TryParse(uzHandle, out _));
        var kzEnd = await events.WaitForAsync<JobEnded>(e => e.Job == kz.Job, 30);
        var uzEnd = await events.WaitForAsync<JobEnded>(e => e.Job == uz.Job, 30);
        Assert.Equal((JobEndKind.Exited, 3), (kzEnd.Kind, kzEnd.ExitCode!.Value));
        Assert.Equal((JobEndKind.Exited, 0), (uzEnd.Kind, uzEnd.ExitCode!.Value));
        // Slurm picks which 2 of the node's GPUs; the job sees exactly two
        Assert.Matches(@"gpus=\d,\d site=kz", await LiveClusters.ReadAllLogAsync(router, "kz", kz.JobId));
        Assert.Contains("oops", await LiveClusters.ReadAllLogAsync(router, "kz", kz.JobId, LogStream.Stderr), StringComparison.Ordinal);
        Assert.Contains("quoted $HOME `x`", await LiveClusters.ReadAllLogAsync(router, "uz", uz.JobId), StringComparison.Ordinal);
        await Task.Delay(1500);
        Assert.Equal(2, events.Of<JobEnded>().Count()); // each ending exactly once
    }

    [Fact]
    public async Task Cancel_stops_the_slurm_job_and_answers_with_one_JobStopped_and_no_JobEnded()
    {
        if (!LiveClusters.Available())
        {
            return;
        }
        using var backend = LiveClusters.Backend("kz");
        var events = new EventLog(backend);
        var launch = LiveClusters.Launch("kz", 0, ["sh", "-c", "echo started; sleep 300"]);
        var handle = await backend.DispatchAsync(launch, CancellationToken.None);
        await LiveClusters.WaitUntilAsync(async () => (await LiveClusters.ReadAllLogAsync(backend, "kz", launch.JobId)).Contains("started", StringComparison.Ordinal), 20, "the job starting");
        await backend.StopAsync(launch.Job, StopKind.Cancel, CancellationToken.None);
        var stopped = await events.WaitForAsync<JobStopped>(e => e.Job == launch.Job, 30);
        Assert.True(stopped.WasRunning);
        var state = await LiveClusters.Slurm("kz", "squeue", "-h", "-t", "all", "-j", handle, "-o", "%T");
        Assert.Equal("CANCELLED", state.Stdout.Trim());
        await Task.Delay(1500);
        Assert.Empty(events.Of<JobEnded>());
        Assert.Single(events.Of<JobStopped>());
    }
}
