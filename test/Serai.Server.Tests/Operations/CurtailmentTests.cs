using System.Net;

namespace Serai.Server.Tests.Operations;

/// <summary>Grid demand response on a live server: a dry run changes nothing; carried out, the site reaches the target and says so.</summary>
public sealed class CurtailmentTests : IDisposable
{
    private readonly string _directory = TestDatabases.NewDirectory();

    public void Dispose() => TestDatabases.Remove(_directory);

    [Fact]
    public async Task A_curtailment_to_a_facility_power_is_planned_by_a_dry_run_then_reached_and_reported()
    {
        await using var server = await SiteOperationsTests.StartAsync(_directory, OpsHubs.Termez());
        var admin = server.Client(SeraiFactory.AdminToken);
        var alpha = server.Client(SeraiFactory.AlphaToken);
        var normal = await alpha.SubmitIdAsync(SiteOperationsTests.Job());
        var low = await alpha.SubmitIdAsync(new { command = (string[])["sleep", "1000"], gpus = 4, priority = "low", checkpointable = true });
        await alpha.WaitForAsync(normal, j => j.State() == "running");
        await alpha.WaitForAsync(low, j => j.State() == "running");
        await LocalExecutionTests.WaitUntilAsync(async () => (await SiteOperationsTests.SiteAsync(admin, "termez")).GetProperty("gpus")[0].GetProperty("used").GetInt32() == 8);
        var before = (await SiteOperationsTests.SiteAsync(admin, "termez")).GetProperty("facilityWatts").GetDouble();
        Assert.True(before > 4000, $"{before} W before");

        var dry = await SiteOperationsTests.PostAsync(admin, "/api/v1/sites/termez/curtail", new { toWatts = 4000, forSeconds = 3600, dryRun = true });
        Assert.Equal(HttpStatusCode.OK, dry.StatusCode);
        var plan = (await dry.JsonAsync()).GetProperty("plan");
        Assert.True(plan.GetProperty("reached").GetBoolean(), plan.GetRawText());
        Assert.True(plan.GetProperty("facilityWattsReached").GetDouble() <= 4000);
        Assert.Equal(2, plan.GetProperty("jobsThrottled").GetInt32());
        // the low, checkpointable job is the one stopped, and moved rather than lost
        var stopped = plan.GetProperty("steps").EnumerateArray().Where(s => s.GetProperty("kind").GetString() is "move" or "preempt").ToList();
        Assert.Equal(low, Assert.Single(stopped).GetProperty("job").GetInt64());
        Assert.Equal("move", stopped[0].GetProperty("kind").GetString());
        Assert.Equal(0, plan.GetProperty("gpuHoursLost").GetDouble());
        // a dry run changes nothing
        Assert.Equal(before, (await SiteOperationsTests.SiteAsync(admin, "termez")).GetProperty("facilityWatts").GetDouble(), 3);
        Assert.Equal("running", (await alpha.GetJobAsync(low)).State());

        var done = await SiteOperationsTests.PostAsync(admin, "/api/v1/sites/termez/curtail", new { toWatts = 4000, forSeconds = 3600, reason = "grid operator's request 17", by = "dispatcher" });
        Assert.Equal(HttpStatusCode.OK, done.StatusCode);
        Assert.StartsWith("curtailment of site:termez to 0.004 MW of facility power until ", (await done.JsonAsync()).GetProperty("action").GetProperty("text").GetString(), StringComparison.Ordinal);
        await LocalExecutionTests.WaitUntilAsync(async () => (await SiteOperationsTests.SiteAsync(admin, "termez")).GetProperty("facilityWatts").GetDouble() <= 4000 + 1e-3,
            seconds: 5, what: "Termez within 4 kW of facility power");
        var report = await (await admin.GetAsync("/api/v1/sites/termez/curtailment")).JsonAsync();
        Assert.True(report.GetProperty("reached").GetBoolean(), report.GetRawText());
        Assert.True(report.GetProperty("active").GetBoolean());
        Assert.True(report.GetProperty("facilityWattsNow").GetDouble() <= 4000 + 1e-3);
        Assert.Contains("against a target of 4 kW (reached)", report.GetProperty("text").GetString(), StringComparison.Ordinal);
        Assert.Equal("running", (await alpha.GetJobAsync(normal)).State());
    }

    [Fact]
    public async Task A_curtailment_and_its_plan_survive_a_restart_and_are_listed()
    {
        var database = TestDatabases.NewSqlite(_directory);
        await using (var first = await new SeraiFactory(database, _directory, OpsHubs.Termez(), backend: "none").StartAsync())
        {
            var admin = first.Client(SeraiFactory.AdminToken);
            var alpha = first.Client(SeraiFactory.AlphaToken);
            await alpha.WaitForAsync(await alpha.SubmitIdAsync(SiteOperationsTests.Job()), j => j.State() == "running");
            var done = await SiteOperationsTests.PostAsync(admin, "/api/v1/sites/termez/curtail", new { toWatts = 4000, forSeconds = 3600, reason = "grid operator's request 18" });
            Assert.Equal(HttpStatusCode.OK, done.StatusCode);
        }
        await using var second = await new SeraiFactory(database, _directory, OpsHubs.Termez(), backend: "none").StartAsync();
        var again = second.Client(SeraiFactory.AdminToken);
        var report = await again.GetAsync("/api/v1/sites/termez/curtailment");
        Assert.Equal(HttpStatusCode.OK, report.StatusCode);
        var body = await report.JsonAsync();
        Assert.Equal(4000, body.GetProperty("plan").GetProperty("targetFacilityWatts").GetDouble());
        Assert.True(body.GetProperty("active").GetBoolean());
        Assert.Contains("against a target of 4 kW", body.GetProperty("text").GetString(), StringComparison.Ordinal);
        var listed = await (await again.GetAsync("/api/v1/curtailments")).JsonAsync();
        var only = Assert.Single(listed.EnumerateArray());
        Assert.Equal("termez", only.GetProperty("plan").GetProperty("site").GetString());
        Assert.EndsWith("grid operator's request 18", only.GetProperty("action").GetProperty("text").GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Forbidden, (await second.Client(SeraiFactory.AlphaToken).GetAsync("/api/v1/curtailments")).StatusCode);
    }
}
