using Serai.Execution.Slurm;

namespace Serai.Slurm.Tests.Unit;

/// <summary>An operator's drain of a node reaches Slurm as `scontrol update nodename=... state=drain|resume` (command lines only).</summary>
public sealed class DrainPassOnTests
{
    [Fact]
    public async Task A_drain_and_its_end_become_scontrol_updates_of_the_named_node_with_the_reason()
    {
        var runner = new FakeRunner((_, _, _) => FakeRunner.Ok());
        using var backend = new SlurmBackend(Launches.Options(), runner, startPolling: false);
        Assert.Equal("Slurm node kz-n2 drained", await backend.SetNodeDrainedAsync("kz", "h100", 1, true, "PDU swap\n(by ayse)", CancellationToken.None));
        Assert.Equal("Slurm node kz-n2 resumed", await backend.SetNodeDrainedAsync("kz", "h100", 1, false, "done", CancellationToken.None));
        var calls = runner.Calls.Where(c => c.Program == "scontrol").Select(c => string.Join(' ', c.Arguments)).ToList();
        Assert.Equal(["update nodename=kz-n2 state=drain reason=serai: PDU swap(by ayse)", "update nodename=kz-n2 state=resume"], calls);
    }

    [Fact]
    public async Task A_node_the_settings_do_not_name_is_not_passed_on_and_says_why()
    {
        var runner = new FakeRunner((_, _, _) => FakeRunner.Ok());
        using var backend = new SlurmBackend(Launches.Options(), runner, startPolling: false);
        Assert.StartsWith("not passed on to Slurm: pool 'h100' names no node 9", await backend.SetNodeDrainedAsync("kz", "h100", 9, true, "x", CancellationToken.None), StringComparison.Ordinal);
        Assert.Equal(0, runner.Count("scontrol"));
    }
}
