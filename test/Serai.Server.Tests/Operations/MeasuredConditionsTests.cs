using System.Diagnostics;
using System.Net;
using System.Text.Json;

namespace Serai.Server.Tests.Operations;

/// <summary>Measured conditions fed to a running server override the model; a stale feed falls back to the model with the margin.</summary>
public sealed class MeasuredConditionsTests : IDisposable
{
    private readonly string _directory = TestDatabases.NewDirectory();

    public void Dispose() => TestDatabases.Remove(_directory);

    private static readonly Dictionary<string, string> ShortFeed = new()
    {
        ["Serai:Operations:FeedStaleSeconds"] = "2",
        ["Serai:Operations:StaleMarginC"] = "3",
    };

    [Fact]
    public async Task A_temperature_fed_for_Termez_raises_its_PUE_and_work_is_throttled_within_a_cycle_until_facility_power_fits_the_grid()
    {
        await using var server = await SiteOperationsTests.StartAsync(_directory, OpsHubs.Termez());
        var alpha = server.Client(SeraiFactory.AlphaToken);
        var admin = server.Client(SeraiFactory.AdminToken);
        var jobs = new[] { await alpha.SubmitIdAsync(SiteOperationsTests.Job()), await alpha.SubmitIdAsync(SiteOperationsTests.Job()) };
        foreach (var id in jobs)
        {
            Assert.Equal("running", (await alpha.WaitForAsync(id, j => j.State() == "running")).State());
        }
        await LocalExecutionTests.WaitUntilAsync(async () => (await SiteOperationsTests.SiteAsync(admin, "termez")).GetProperty("gpus")[0].GetProperty("used").GetInt32() == 8);
        var before = await SiteOperationsTests.SiteAsync(admin, "termez");
        var pueBefore = before.GetProperty("pue").GetDouble();
        var itBefore = before.GetProperty("itWatts").GetDouble();
        Assert.True(before.GetProperty("facilityWatts").GetDouble() <= OpsHubs.TermezGridWatts, "the two jobs fit the grid at the modelled 20 °C");

        var clock = Stopwatch.StartNew();
        var fed = await SiteOperationsTests.PostAsync(admin, "/api/v1/sites/termez/conditions", new { outdoorTemperatureC = 46 });
        Assert.Equal(HttpStatusCode.Accepted, fed.StatusCode);
        Assert.Equal("measured", (await fed.JsonAsync()).GetProperty("temperature").GetString());
        JsonElement after = default;
        await LocalExecutionTests.WaitUntilAsync(async () =>
        {
            after = await SiteOperationsTests.SiteAsync(admin, "termez");
            return after.GetProperty("facilityWatts").GetDouble() <= OpsHubs.TermezGridWatts + 1e-6 && after.GetProperty("pue").GetDouble() > pueBefore;
        }, seconds: 5, what: "Termez's facility power within its grid connection");
        // the control loop reacts to the reading itself, not at a later tick (ticks are 1 s apart here)
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(3), $"took {clock.Elapsed}");
        var pue = after.GetProperty("pue").GetDouble();
        Assert.Equal(46, after.GetProperty("outdoorTemperatureC").GetDouble(), 3);
        Assert.Equal("measured", after.GetProperty("sources").GetProperty("temperature").GetString());
        Assert.True(itBefore * pue > OpsHubs.TermezGridWatts, $"at PUE {pue:0.000} the unthrottled {itBefore} W would need {itBefore * pue:0} W of the grid's {OpsHubs.TermezGridWatts}");
        Assert.True(after.GetProperty("facilityWatts").GetDouble() <= OpsHubs.TermezGridWatts);
        var throttled = await (await admin.GetAsync("/api/v1/audit?kind=throttle")).JsonAsync();
        var preempted = await (await admin.GetAsync("/api/v1/audit?kind=preempt")).JsonAsync();
        Assert.True(throttled.GetProperty("items").GetArrayLength() + preempted.GetProperty("items").GetArrayLength() > 0, "work was throttled or preempted");
    }

    [Fact]
    public async Task A_stale_feed_falls_back_to_the_model_with_the_safety_margin()
    {
        await using var server = await SiteOperationsTests.StartAsync(_directory, OpsHubs.Termez(), ShortFeed);
        var admin = server.Client(SeraiFactory.AdminToken);
        Assert.Equal(HttpStatusCode.Accepted, (await SiteOperationsTests.PostAsync(admin, "/api/v1/sites/termez/conditions", new { outdoorTemperatureC = 31.5 })).StatusCode);
        var measured = await SiteOperationsTests.SiteAsync(admin, "termez");
        Assert.Equal(31.5, measured.GetProperty("outdoorTemperatureC").GetDouble(), 3);
        Assert.Equal("measured", measured.GetProperty("sources").GetProperty("temperature").GetString());
        Assert.Equal("modelled", measured.GetProperty("sources").GetProperty("itPower").GetString());
        await LocalExecutionTests.WaitUntilAsync(async () => (await SiteOperationsTests.SiteAsync(admin, "termez")).GetProperty("sources").GetProperty("temperature").GetString() == "stale",
            seconds: 10, what: "the feed to go stale");
        var stale = await SiteOperationsTests.SiteAsync(admin, "termez");
        Assert.Equal(20 + 3, stale.GetProperty("outdoorTemperatureC").GetDouble(), 3);
        Assert.Equal(31.5, stale.GetProperty("sources").GetProperty("measuredTemperatureC").GetDouble(), 3);
        var sites = await (await admin.GetAsync("/api/v1/sites")).JsonAsync();
        Assert.Equal("stale", sites.EnumerateArray().Single(s => s.GetProperty("name").GetString() == "termez").GetProperty("sources").GetProperty("temperature").GetString());
    }

    [Fact]
    public async Task Measured_IT_and_facility_power_override_the_modelled_power_and_PUE()
    {
        await using var server = await SiteOperationsTests.StartAsync(_directory, OpsHubs.Termez());
        var admin = server.Client(SeraiFactory.AdminToken);
        var fed = await SiteOperationsTests.PostAsync(admin, "/api/v1/sites/termez/conditions", new { itPowerWatts = 2500.0, facilityPowerWatts = 3500.0 });
        Assert.Equal(HttpStatusCode.Accepted, fed.StatusCode);
        var site = await SiteOperationsTests.SiteAsync(admin, "termez");
        Assert.Equal(2500, site.GetProperty("itWatts").GetDouble(), 3);
        Assert.Equal(1.4, site.GetProperty("pue").GetDouble(), 6);
        Assert.Equal(3500, site.GetProperty("facilityWatts").GetDouble(), 3);
        var sources = site.GetProperty("sources");
        Assert.Equal("measured", sources.GetProperty("itPower").GetString());
        Assert.Equal("measured", sources.GetProperty("facilityPower").GetString());
        Assert.Equal("modelled", sources.GetProperty("temperature").GetString());
        // the dashboard's tile marks the measured figures
        var overview = await admin.GetStringAsync("/");
        Assert.Contains("<small class=\"source\">(measured)</small>", overview, StringComparison.Ordinal);
        Assert.Contains("°C</dd>", overview, StringComparison.Ordinal);
    }
}
