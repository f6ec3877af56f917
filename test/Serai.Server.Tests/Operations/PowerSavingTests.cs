using System.Diagnostics;
using System.Net;

namespace Serai.Server.Tests.Operations;

/// <summary>Idle power is an action: idle nodes are suspended to bring a site within its envelope and resumed, after their resume time, when work needs them.</summary>
public sealed class PowerSavingTests : IDisposable
{
    private readonly string _directory = TestDatabases.NewDirectory();

    public void Dispose() => TestDatabases.Remove(_directory);

    [Fact]
    public async Task An_idle_site_over_its_grid_connection_suspends_idle_nodes_until_it_fits_and_resumes_them_for_work()
    {
        var settings = new Dictionary<string, string> { ["Serai:Operations:ResumeSeconds"] = "2" };
        await using var server = await SiteOperationsTests.StartAsync(_directory, OpsHubs.Termez(), settings);
        var admin = server.Client(SeraiFactory.AdminToken);
        var alpha = server.Client(SeraiFactory.AlphaToken);
        var idle = await SiteOperationsTests.SiteAsync(admin, "termez");
        Assert.Equal(1640, idle.GetProperty("itWatts").GetDouble(), 3); // 8 idle H100 at 80 W and two nodes' 500 W overhead

        // the grid operator allows 1.5 kW of facility power: at PUE(20 °C) that is about 1.25 kW of IT, below the idle draw
        Assert.Equal(HttpStatusCode.OK, (await SiteOperationsTests.PostAsync(admin, "/api/v1/sites/termez/override", new { gridWatts = 1500, forSeconds = 3600, reason = "grid emergency" })).StatusCode);
        var within = await SiteOperationsTests.SiteAsync(admin, "termez");
        Assert.True(within.GetProperty("itWatts").GetDouble() <= within.GetProperty("itLimitWatts").GetDouble(), within.GetRawText());
        Assert.True(within.GetProperty("facilityWatts").GetDouble() <= 1500, within.GetRawText());
        Assert.Equal(1, within.GetProperty("sources").GetProperty("suspendedNodes").GetInt32());
        // one node of 820 W idle now draws 5 % of it
        Assert.Equal(1640 - 820 * 0.95, within.GetProperty("itWatts").GetDouble(), 3);

        // the grid is back and a job needs both nodes: the suspended one resumes and takes work after its resume time
        Assert.Equal(HttpStatusCode.OK, (await SiteOperationsTests.PostAsync(admin, "/api/v1/sites/termez/override/clear", new { reason = "grid back" })).StatusCode);
        var clock = Stopwatch.StartNew();
        var job = await alpha.SubmitIdAsync(SiteOperationsTests.Job(8));
        await LocalExecutionTests.WaitUntilAsync(async () => (await SiteOperationsTests.SiteAsync(admin, "termez")).GetProperty("sources").GetProperty("resumingNodes").GetInt32() == 1,
            seconds: 5, what: "the suspended node to resume");
        Assert.Equal("pending", (await alpha.GetJobAsync(job)).State());
        Assert.Equal("running", (await alpha.WaitForAsync(job, j => j.State() == "running")).State());
        Assert.True(clock.Elapsed >= TimeSpan.FromSeconds(2), $"the job started {clock.Elapsed} after the resume began");
        var after = await SiteOperationsTests.SiteAsync(admin, "termez");
        Assert.Equal(0, after.GetProperty("sources").GetProperty("suspendedNodes").GetInt32());
        Assert.Equal(0, after.GetProperty("sources").GetProperty("resumingNodes").GetInt32());
    }
}
