namespace Serai.Slurm.Tests.Live;

/// <summary>An operator's drain passed on to a real Slurm cluster: sinfo shows the node drained with Serai's reason, then idle again.</summary>
[Collection(SerialSlurm.Name)]
public sealed class DrainPassOnLiveTests
{
    [Fact]
    public async Task A_node_drained_through_the_backend_is_drained_in_Slurm_with_the_reason_and_resumed()
    {
        if (!LiveClusters.Available())
        {
            return;
        }
        using var backend = LiveClusters.Backend("uz");
        try
        {
            Assert.Equal("Slurm node uz-n2 drained", await backend.SetNodeDrainedAsync("uz", "h100", 1, true, "PDU swap (by ayse)", CancellationToken.None));
            var state = (await LiveClusters.Slurm("uz", "sinfo", "-h", "-n", "uz-n2", "-o", "%t|%E")).Stdout.Trim();
            // drained: "drain" when the node is idle, "drng" (draining) while a job of another test still ends on it
            Assert.Matches("^(drain|drng)", state);
            Assert.Contains("serai: PDU swap (by ayse)", state, StringComparison.Ordinal);
            Assert.Equal("Slurm node uz-n2 resumed", await backend.SetNodeDrainedAsync("uz", "h100", 1, false, "done", CancellationToken.None));
            await LiveClusters.WaitUntilAsync(async () => (await LiveClusters.Slurm("uz", "sinfo", "-h", "-n", "uz-n2", "-o", "%t")).Stdout.Trim() is "idle" or "mix" or "alloc", 30, "uz-n2 usable again");
        }
        finally
        {
            await LiveClusters.ResumeAsync("uz", "uz-n2");
        }
    }
}
