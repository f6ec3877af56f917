using System.Net;

namespace Serai.Server.Tests.Operations;

/// <summary>What-if on the live state: a scenario says which jobs would be throttled, preempted, moved or delayed, and changes nothing.</summary>
public sealed class WhatIfTests : IDisposable
{
    private readonly string _directory = TestDatabases.NewDirectory();

    public void Dispose() => TestDatabases.Remove(_directory);

    private static Task<HttpResponseMessage> WhatIfAsync(HttpClient client, string json) => client.PostAsync("/api/v1/whatif", Http.Json(json));

    [Fact]
    public async Task A_site_down_moves_its_jobs_and_delays_a_waiting_one_without_changing_anything()
    {
        await using var server = await SiteOperationsTests.StartAsync(_directory, OpsHubs.TwoSites());
        var alpha = server.Client(SeraiFactory.AlphaToken);
        var beta = server.Client(SeraiFactory.BetaToken);
        var admin = server.Client(SeraiFactory.AdminToken);
        var first = await alpha.SubmitIdAsync(SiteOperationsTests.Job());
        var site = (await alpha.WaitForAsync(first, j => j.State() == "running")).GetProperty("site").GetString()!;
        var other = site == "termez" ? "almaty" : "termez";

        var answer = await WhatIfAsync(admin, $$"""{"horizonSeconds": 7200, "changes": [{"kind": "site-down", "site": "{{site}}", "forSeconds": 3600}]}""");
        Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
        var view = await answer.JsonAsync();
        var moved = Assert.Single(view.GetProperty("jobs").EnumerateArray());
        Assert.Equal(first, moved.GetProperty("job").GetInt64());
        Assert.Equal("moved", moved.GetProperty("effect").GetString());
        Assert.Equal(site, moved.GetProperty("siteBefore").GetString());
        Assert.Equal(other, moved.GetProperty("siteAfter").GetString());
        Assert.Equal(1, view.GetProperty("moved").GetInt32());
        Assert.StartsWith($"site {site} down from ", Assert.Single(view.GetProperty("scenario").EnumerateArray()).GetString(), StringComparison.Ordinal);
        Assert.EndsWith("nothing was changed", view.GetProperty("text").GetString(), StringComparison.Ordinal);

        // nothing changed: the job runs where it ran, the site is up
        Assert.Equal(site, (await alpha.GetJobAsync(first)).GetProperty("site").GetString());
        Assert.False((await SiteOperationsTests.SiteAsync(admin, site)).GetProperty("down").GetBoolean());

        // a tenant sees its own jobs; another tenant's are only counted
        var foreign = await (await WhatIfAsync(beta, $$"""{"changes": [{"kind": "site-down", "site": "{{site}}"}]}""")).JsonAsync();
        Assert.Empty(foreign.GetProperty("jobs").EnumerateArray());
        Assert.Equal(1, foreign.GetProperty("otherTenantsJobs").GetInt32());
        Assert.DoesNotContain($"job {first}", foreign.GetRawText(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_heat_wave_at_termez_throttles_or_preempts_its_jobs_and_a_vendor_cut_delays_a_waiting_job()
    {
        await using var server = await SiteOperationsTests.StartAsync(_directory, OpsHubs.Termez());
        var alpha = server.Client(SeraiFactory.AlphaToken);
        var admin = server.Client(SeraiFactory.AdminToken);
        object Limited() => new { command = (string[])["sleep", "1000"], gpus = 4, timeLimitSeconds = 600 };
        var jobs = new[] { await alpha.SubmitIdAsync(Limited()), await alpha.SubmitIdAsync(Limited()) };
        foreach (var id in jobs)
        {
            await alpha.WaitForAsync(id, j => j.State() == "running");
        }
        var view = await (await WhatIfAsync(admin, """{"horizonSeconds": 3600, "changes": [{"kind": "heat-wave", "site": "termez", "temperatureC": 46}]}""")).JsonAsync();
        var affected = view.GetProperty("jobs").EnumerateArray().ToList();
        Assert.NotEmpty(affected);
        Assert.All(affected, j => Assert.Contains(j.GetProperty("effect").GetString(), new[] { "throttled", "preempted" }));
        Assert.Equal(20, (await SiteOperationsTests.SiteAsync(admin, "termez")).GetProperty("outdoorTemperatureC").GetDouble(), 3);

        // the hub is full: a waiting job would start when the first job reaches its 10-minute limit; with nvidia cut off for
        // half an hour it starts only when the cut-off ends
        var waiting = await alpha.SubmitIdAsync(new { command = (string[])["sleep", "1"], gpus = 4 });
        var cut = await (await WhatIfAsync(admin, """{"horizonSeconds": 7200, "changes": [{"kind": "vendor-cut", "vendor": "nvidia", "forSeconds": 1800}]}""")).JsonAsync();
        var delayed = Assert.Single(cut.GetProperty("jobs").EnumerateArray());
        Assert.Equal(waiting, delayed.GetProperty("job").GetInt64());
        Assert.Equal("delayed", delayed.GetProperty("effect").GetString());
        Assert.Equal(cut.GetProperty("nowUnix").GetInt64() + 1800, delayed.GetProperty("startAfter").GetInt64());
        Assert.InRange(delayed.GetProperty("delaySeconds").GetInt64(), 1200, 1215); // the first job started a few seconds before now
        Assert.Contains("later by 20m", delayed.GetProperty("text").GetString(), StringComparison.Ordinal);
        Assert.Equal("pending", (await alpha.GetJobAsync(waiting)).State());
    }

    [Fact]
    public async Task Bad_scenarios_are_answered_400_naming_the_field_the_value_and_what_is_allowed()
    {
        await using var server = await SiteOperationsTests.StartAsync(_directory, OpsHubs.TwoSites());
        var admin = server.Client(SeraiFactory.AdminToken);
        async Task<string> DetailAsync(string json)
        {
            var response = await WhatIfAsync(admin, json);
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            return (await response.JsonAsync()).GetProperty("detail").GetString()!;
        }
        Assert.Contains("changes[0].kind: 'flood' is not a kind of change; allowed: heat-wave, cap, site-down, vendor-cut",
            await DetailAsync("""{"changes": [{"kind": "flood", "site": "termez"}]}"""), StringComparison.Ordinal);
        Assert.Contains("changes[1].site: 'tashkent' is not a site of this hub; allowed: termez, almaty",
            await DetailAsync("""{"changes": [{"kind": "site-down", "site": "termez"}, {"kind": "site-down", "site": "tashkent"}]}"""), StringComparison.Ordinal);
        Assert.Contains("changes[0].vendor: no vendor 'amd' in this hub; vendors: nvidia",
            await DetailAsync("""{"changes": [{"kind": "vendor-cut", "vendor": "amd"}]}"""), StringComparison.Ordinal);
        Assert.Contains("changes[0].temperatureC: give either temperatureC",
            await DetailAsync("""{"changes": [{"kind": "heat-wave", "site": "termez"}]}"""), StringComparison.Ordinal);
        Assert.Contains("horizonSeconds: 5 is out of range; allowed 60..2592000",
            await DetailAsync("""{"horizonSeconds": 5, "changes": [{"kind": "site-down", "site": "termez"}]}"""), StringComparison.Ordinal);
        Assert.Contains("changes: is required", await DetailAsync("""{}"""), StringComparison.Ordinal);
        Assert.Contains("changes[0].gridWatts: unknown field",
            await DetailAsync("""{"changes": [{"kind": "site-down", "site": "termez", "gridWatts": 5}]}"""), StringComparison.Ordinal);
    }
}
