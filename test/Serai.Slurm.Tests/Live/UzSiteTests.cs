using Serai.Execution;

namespace Serai.Slurm.Tests.Live;

/// <summary>The uz site alone (its own class, run beside the others): a job over its time limit, GPUs taken by work submitted to Slurm directly.</summary>
public sealed class UzSiteTests
{
    [Fact]
    public async Task A_job_over_its_time_limit_ends_as_timed_out_with_the_reason()
    {
        if (!LiveClusters.Available())
        {
            return;
        }
        using var backend = LiveClusters.Backend("uz");
        var events = new EventLog(backend);
        var launch = LiveClusters.Launch("uz", 1, ["sleep", "600"], limitSeconds: 20); // Slurm's whole minute: 1 min
        await backend.DispatchAsync(launch, CancellationToken.None);
        var ended = await events.WaitForAsync<JobEnded>(e => e.Job == launch.Job, 150);
        Assert.Equal(JobEndKind.TimedOut, ended.Kind);
        Assert.Contains("time limit", ended.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_job_submitted_to_slurm_directly_lowers_the_free_gpus_serai_sees()
    {
        if (!LiveClusters.Available())
        {
            return;
        }
        using var backend = LiveClusters.Backend("uz");
        await LiveClusters.WaitUntilAsync(() => Task.FromResult(backend.Capacity.ContainsKey("h100")), 10, "a first sinfo answer");
        var before = backend.Capacity["h100"].FreeGpus;
        var direct = await LiveClusters.Slurm("uz", "sbatch", "--parsable", "--job-name=not-serai", "--gres=gpu:h100:3", "--nodelist=uz-n1", "--output=/dev/null", "--wrap", "sleep 120");
        Assert.True(direct.Ok, direct.Problem);
        try
        {
            await LiveClusters.WaitUntilAsync(() => Task.FromResult(backend.Capacity["h100"].FreeGpus <= before - 3), 20, "free GPUs falling by 3");
        }
        finally
        {
            await LiveClusters.Slurm("uz", "scancel", direct.Stdout.Trim());
        }
    }
}
