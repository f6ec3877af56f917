namespace Serai.Server.Tests.Operations;

/// <summary>A waiting job says which rule keeps it from the free GPUs it could otherwise use, with the figures.</summary>
public sealed class WaitReasonTests : IDisposable
{
    private readonly string _directory = TestDatabases.NewDirectory();

    public void Dispose() => TestDatabases.Remove(_directory);

    [Fact]
    public async Task A_job_waiting_for_room_in_its_only_allowed_country_is_told_residency_keeps_the_free_GPUs_elsewhere_from_it()
    {
        await using var server = await SiteOperationsTests.StartAsync(_directory, OpsHubs.Reasons());
        var alpha = server.Client(SeraiFactory.AlphaToken);
        var beta = server.Client(SeraiFactory.BetaToken);
        // Termez takes one 4-GPU job within its grid connection, Almaty two
        var running = new[] { await beta.SubmitIdAsync(SiteOperationsTests.Job()), await beta.SubmitIdAsync(SiteOperationsTests.Job()), await beta.SubmitIdAsync(SiteOperationsTests.Job()) };
        foreach (var id in running)
        {
            await beta.WaitForAsync(id, j => j.State() == "running");
        }
        var kazakh = await alpha.SubmitIdAsync(new { command = (string[])["sleep", "1000"], gpus = 4, datasets = (string[])["kz-health"] });
        var waiting = await alpha.WaitForAsync(kazakh, j => j.GetProperty("reason").GetString() is { Length: > 0 });
        Assert.Equal("pending", waiting.State());
        var reason = waiting.GetProperty("reason").GetString()!;
        Assert.Contains("4 H100 at termez, kept from it by data residency: the job's data may be processed only in KZ, and termez is in UZ", reason, StringComparison.Ordinal);

        var other = await beta.SubmitIdAsync(SiteOperationsTests.Job());
        var power = (await beta.WaitForAsync(other, j => j.GetProperty("reason").GetString() is { Length: > 0 })).GetProperty("reason").GetString()!;
        Assert.Contains("grid connection", power, StringComparison.Ordinal);
        Assert.Contains("termez", power, StringComparison.Ordinal);
        Assert.Matches(@"\d", power);
    }

    [Fact]
    public async Task A_job_kept_from_a_drained_pool_is_told_so()
    {
        await using var server = await SiteOperationsTests.StartAsync(_directory, OpsHubs.TwoSites());
        var admin = server.Client(SeraiFactory.AdminToken);
        var alpha = server.Client(SeraiFactory.AlphaToken);
        await SiteOperationsTests.PostAsync(admin, "/api/v1/sites/termez/drain", new { reason = "maintenance" });
        var ids = new[] { await alpha.SubmitIdAsync(SiteOperationsTests.Job()), await alpha.SubmitIdAsync(SiteOperationsTests.Job()) };
        foreach (var id in ids)
        {
            await alpha.WaitForAsync(id, j => j.State() == "running");
        }
        var waiting = await alpha.SubmitIdAsync(SiteOperationsTests.Job());
        var reason = (await alpha.WaitForAsync(waiting, j => j.GetProperty("reason").GetString() is { Length: > 0 })).GetProperty("reason").GetString()!;
        Assert.True(reason.Contains("termez/gpus takes no new work: its vendor is cut off, or an operator drained it or its site", StringComparison.Ordinal)
            || reason.Contains("8 H100 at termez, kept from it by an operator's drain or vendor cut-off", StringComparison.Ordinal), reason);
    }
}
