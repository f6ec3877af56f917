using System.Net;
using System.Text.Json;
using Serai.Core.Model;

namespace Serai.Server.Tests.Operations;

/// <summary>
/// Live site operations on a running server (the `none` backend: placed jobs run until stopped): drains of a pool with
/// running jobs finishing or requeued, sites down, vendor cut-offs, overrides with an end time, all audited with who and
/// why and kept across a restart.
/// </summary>
public sealed class SiteOperationsTests : IDisposable
{
    private readonly string _directory = TestDatabases.NewDirectory();

    public void Dispose() => TestDatabases.Remove(_directory);

    internal static Task<SeraiFactory> StartAsync(string directory, HubModel hub, IReadOnlyDictionary<string, string>? settings = null) =>
        new SeraiFactory(TestDatabases.NewSqlite(directory), directory, hub, backend: "none", settings: settings).StartAsync();

    internal static object Job(int gpus = 4) => new { command = (string[])["sleep", "1000"], gpus };

    internal static async Task<HttpResponseMessage> PostAsync(HttpClient client, string path, object body) =>
        await client.PostAsync(path, Http.Json(JsonSerializer.Serialize(body)));

    internal static async Task<JsonElement> SiteAsync(HttpClient client, string site) => await (await client.GetAsync($"/api/v1/sites/{site}")).JsonAsync();

    private static string? Site(JsonElement job) => job.TryGetProperty("site", out var s) ? s.GetString() : null;

    [Fact]
    public async Task A_drained_pool_gets_no_new_jobs_its_running_job_finishes_or_is_requeued_as_chosen_and_it_is_audited()
    {
        await using var server = await StartAsync(_directory, OpsHubs.TwoSites());
        var alpha = server.Client(SeraiFactory.AlphaToken);
        var admin = server.Client(SeraiFactory.AdminToken);
        var first = await alpha.SubmitIdAsync(Job());
        var running = await alpha.WaitForAsync(first, j => j.State() == "running");
        var drainedSite = Site(running)!;
        var otherSite = drainedSite == "termez" ? "almaty" : "termez";

        var drained = await PostAsync(admin, $"/api/v1/sites/{drainedSite}/pools/gpus/drain", new { mode = "finish", reason = "firmware update", by = "ayse" });
        Assert.Equal(HttpStatusCode.OK, drained.StatusCode);
        Assert.Equal($"pool:{drainedSite}/gpus", (await drained.JsonAsync()).GetProperty("target").GetString());

        // the other site fills up; a third job waits although the drained pool has 4 GPUs free
        var second = await alpha.SubmitIdAsync(Job());
        var third = await alpha.SubmitIdAsync(Job());
        Assert.Equal(otherSite, Site(await alpha.WaitForAsync(second, j => j.State() == "running")));
        Assert.Equal(otherSite, Site(await alpha.WaitForAsync(third, j => j.State() == "running")));
        var fourth = await alpha.SubmitIdAsync(Job());
        await Task.Delay(2500); // two ticks: the scheduler looked at it
        Assert.Equal("pending", (await alpha.GetJobAsync(fourth)).State());
        // finish: the running job stays where it is
        var stillThere = await alpha.GetJobAsync(first);
        Assert.Equal("running", stillThere.State());
        Assert.Equal(drainedSite, Site(stillThere));

        // requeue: the job on the drained pool goes back to the queue and runs at the other site once there is room
        Assert.Equal(HttpStatusCode.OK, (await alpha.PostAsync($"/api/v1/jobs/{third}/cancel", null)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await alpha.PostAsync($"/api/v1/jobs/{fourth}/cancel", null)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await PostAsync(admin, $"/api/v1/sites/{drainedSite}/pools/gpus/drain", new { mode = "requeue", reason = "rack power work" })).StatusCode);
        var moved = await alpha.WaitForAsync(first, j => j.State() == "running" && Site(j) == otherSite);
        Assert.Equal(otherSite, Site(moved));

        var audit = await (await admin.GetAsync("/api/v1/audit?kind=operation")).JsonAsync();
        var messages = audit.GetProperty("items").EnumerateArray().Select(e => e.GetProperty("message").GetString()!).ToList();
        Assert.Contains($"pool:{drainedSite}/gpus drained (running jobs finish), by ayse (admin token): firmware update", messages);
        Assert.Contains($"pool:{drainedSite}/gpus drained (running jobs requeued), by admin: rack power work", messages);

        // resumed, the pool takes work again
        Assert.Equal(HttpStatusCode.OK, (await PostAsync(admin, $"/api/v1/sites/{drainedSite}/pools/gpus/resume", new { reason = "done" })).StatusCode);
        var fifth = await alpha.SubmitIdAsync(Job());
        Assert.Equal(drainedSite, Site(await alpha.WaitForAsync(fifth, j => j.State() == "running")));
    }

    [Fact]
    public async Task A_site_marked_down_has_its_jobs_requeued_at_the_other_site()
    {
        await using var server = await StartAsync(_directory, OpsHubs.TwoSites());
        var alpha = server.Client(SeraiFactory.AlphaToken);
        var admin = server.Client(SeraiFactory.AdminToken);
        var job = await alpha.SubmitIdAsync(Job());
        var site = Site(await alpha.WaitForAsync(job, j => j.State() == "running"))!;
        var other = site == "termez" ? "almaty" : "termez";
        Assert.Equal(HttpStatusCode.OK, (await PostAsync(admin, $"/api/v1/sites/{site}/down", new { reason = "grid operator cut the connection" })).StatusCode);
        Assert.Equal(other, Site(await alpha.WaitForAsync(job, j => j.State() == "running" && Site(j) == other)));
        Assert.True((await SiteAsync(admin, site)).GetProperty("down").GetBoolean());
        Assert.Equal(HttpStatusCode.OK, (await PostAsync(admin, $"/api/v1/sites/{site}/up", new { reason = "connection back" })).StatusCode);
        Assert.False((await SiteAsync(admin, site)).GetProperty("down").GetBoolean());
    }

    [Fact]
    public async Task A_vendor_cut_off_closes_its_pools_to_new_work_until_restored()
    {
        await using var server = await StartAsync(_directory, OpsHubs.TwoSites());
        var alpha = server.Client(SeraiFactory.AlphaToken);
        var admin = server.Client(SeraiFactory.AdminToken);
        Assert.Equal(HttpStatusCode.OK, (await PostAsync(admin, "/api/v1/vendors/NVIDIA/cut", new { reason = "export licence suspended" })).StatusCode);
        var job = await alpha.SubmitIdAsync(Job());
        await Task.Delay(2500);
        var waiting = await alpha.GetJobAsync(job);
        Assert.Equal("pending", waiting.State());
        var inForce = await (await admin.GetAsync("/api/v1/operations")).JsonAsync();
        Assert.Equal("vendor:nvidia", Assert.Single(inForce.GetProperty("inForce").GetProperty("vendorsCut").EnumerateArray()).GetProperty("target").GetString());
        Assert.Equal(HttpStatusCode.OK, (await PostAsync(admin, "/api/v1/vendors/nvidia/restore", new { reason = "licence back" })).StatusCode);
        Assert.Equal("running", (await alpha.WaitForAsync(job, j => j.State() == "running")).State());
    }

    [Fact]
    public async Task An_override_with_an_end_time_holds_until_then_and_the_model_returns()
    {
        await using var server = await StartAsync(_directory, OpsHubs.TwoSites());
        var admin = server.Client(SeraiFactory.AdminToken);
        var set = await PostAsync(admin, "/api/v1/sites/termez/override", new { temperatureC = 41.5, gridWatts = 5e5, forSeconds = 3, reason = "heat wave drill" });
        Assert.Equal(HttpStatusCode.OK, set.StatusCode);
        var termez = await SiteAsync(admin, "termez");
        Assert.Equal(41.5, termez.GetProperty("outdoorTemperatureC").GetDouble(), 3);
        Assert.Equal(5e5, termez.GetProperty("gridWatts").GetDouble(), 3);
        Assert.Equal("override", termez.GetProperty("sources").GetProperty("temperature").GetString());
        await LocalExecutionTests.WaitUntilAsync(async () => (await SiteAsync(admin, "termez")).GetProperty("outdoorTemperatureC").GetDouble() < 21, seconds: 10);
        termez = await SiteAsync(admin, "termez");
        Assert.Equal(20, termez.GetProperty("outdoorTemperatureC").GetDouble(), 3);
        Assert.Equal(1e6, termez.GetProperty("gridWatts").GetDouble(), 3);
        Assert.Equal("modelled", termez.GetProperty("sources").GetProperty("temperature").GetString());
        Assert.Empty((await (await admin.GetAsync("/api/v1/operations")).JsonAsync()).GetProperty("inForce").GetProperty("overrides").EnumerateArray());
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task Drains_and_overrides_survive_a_restart(string store)
    {
        var database = store == "sqlite" ? TestDatabases.NewSqlite(_directory) : TestDatabases.NewPostgres();
        if (database is null)
        {
            return; // no PostgreSQL outside CI
        }
        try
        {
            await SurviveRestartAsync(database);
        }
        finally
        {
            TestDatabases.Remove(_directory, database);
        }
    }

    private async Task SurviveRestartAsync(string database)
    {
        await using (var first = await new SeraiFactory(database, _directory, OpsHubs.TwoSites(), backend: "none").StartAsync())
        {
            var admin = first.Client(SeraiFactory.AdminToken);
            Assert.Equal(HttpStatusCode.OK, (await PostAsync(admin, "/api/v1/sites/almaty/drain", new { reason = "cooling maintenance" })).StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await PostAsync(admin, "/api/v1/sites/termez/override", new { temperatureOffsetC = 4, forSeconds = 3600, reason = "sensor drift" })).StatusCode);
        }
        await using var second = await new SeraiFactory(database, _directory, OpsHubs.TwoSites(), backend: "none").StartAsync();
        var again = second.Client(SeraiFactory.AdminToken);
        var inForce = (await (await again.GetAsync("/api/v1/operations")).JsonAsync()).GetProperty("inForce");
        Assert.Equal("site:almaty", Assert.Single(inForce.GetProperty("drained").EnumerateArray()).GetProperty("target").GetString());
        Assert.Equal(4, Assert.Single(inForce.GetProperty("overrides").EnumerateArray()).GetProperty("values").GetProperty("temperatureOffsetC").GetDouble());
        Assert.Equal(24, (await SiteAsync(again, "termez")).GetProperty("outdoorTemperatureC").GetDouble(), 3);
        // the drained site takes nothing: two 4-GPU jobs run at Termez, the third waits
        var alpha = second.Client(SeraiFactory.AlphaToken);
        var jobs = new[] { await alpha.SubmitIdAsync(Job()), await alpha.SubmitIdAsync(Job()), await alpha.SubmitIdAsync(Job()) };
        Assert.Equal("termez", Site(await alpha.WaitForAsync(jobs[0], j => j.State() == "running")));
        Assert.Equal("termez", Site(await alpha.WaitForAsync(jobs[1], j => j.State() == "running")));
        await Task.Delay(2500);
        Assert.Equal("pending", (await alpha.GetJobAsync(jobs[2])).State());
    }

    [Fact]
    public async Task The_OpenAPI_document_lists_the_operations_endpoints()
    {
        await using var server = await StartAsync(_directory, OpsHubs.TwoSites());
        var paths = (await (await server.Client(null).GetAsync("/openapi/v1.json")).JsonAsync()).GetProperty("paths");
        foreach (var path in (string[])["/api/v1/operations", "/api/v1/sites/{site}/override", "/api/v1/sites/{site}/override/clear", "/api/v1/sites/{site}/drain",
            "/api/v1/sites/{site}/resume", "/api/v1/sites/{site}/down", "/api/v1/sites/{site}/up", "/api/v1/sites/{site}/pools/{pool}/drain",
            "/api/v1/sites/{site}/pools/{pool}/nodes/{node}/drain", "/api/v1/vendors/{vendor}/cut", "/api/v1/sites/{site}/conditions"])
        {
            Assert.True(paths.TryGetProperty(path, out _), $"OpenAPI lacks {path}");
        }
    }

    [Fact]
    public async Task Operator_actions_are_for_the_admin_and_bad_input_names_the_field()
    {
        await using var server = await StartAsync(_directory, OpsHubs.TwoSites());
        var admin = server.Client(SeraiFactory.AdminToken);
        var tenant = server.Client(SeraiFactory.AlphaToken);
        Assert.Equal(HttpStatusCode.Forbidden, (await PostAsync(tenant, "/api/v1/sites/termez/drain", new { reason = "x" })).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await PostAsync(tenant, "/api/v1/sites/termez/conditions", new { outdoorTemperatureC = 30 })).StatusCode);
        var mode = await PostAsync(admin, "/api/v1/sites/termez/drain", new { reason = "x", mode = "later" });
        Assert.Equal(HttpStatusCode.BadRequest, mode.StatusCode);
        Assert.Contains("mode: 'later' is not a drain mode; allowed: finish", (await mode.JsonAsync()).GetProperty("detail").GetString(), StringComparison.Ordinal);
        var noReason = await PostAsync(admin, "/api/v1/sites/termez/pools/gpus/nodes/1/drain", new { mode = "finish" });
        Assert.Contains("reason: is required", (await noReason.JsonAsync()).GetProperty("detail").GetString(), StringComparison.Ordinal);
        var node = await PostAsync(admin, "/api/v1/sites/termez/pools/gpus/nodes/7/drain", new { reason = "x" });
        Assert.Equal(HttpStatusCode.NotFound, node.StatusCode);
        Assert.Contains("nodes are numbered 0 to 1", (await node.JsonAsync()).GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, (await PostAsync(admin, "/api/v1/sites/nowhere/down", new { reason = "x" })).StatusCode);
        var empty = await PostAsync(admin, "/api/v1/sites/termez/override", new { reason = "x", forSeconds = 60 });
        Assert.Contains("give at least one of temperatureC", (await empty.JsonAsync()).GetProperty("detail").GetString(), StringComparison.Ordinal);
        var reading = await PostAsync(admin, "/api/v1/sites/termez/conditions", new { itPowerWatts = 5000, facilityPowerWatts = 4000 });
        Assert.Contains("facilityPowerWatts: 4000 W is below the IT power 5000 W", (await reading.JsonAsync()).GetProperty("detail").GetString(), StringComparison.Ordinal);
    }
}
