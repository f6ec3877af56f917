
namespace Serai.Slurm.Tests.Live;

/// <summary>GPUs taken by work submitted to Slurm directly are seen by Serai.</summary>
[Collection(SerialSlurm.Name)]
public sealed class CapacityTests
{
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
