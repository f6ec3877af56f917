using System.Net;
using System.Text.Json;

namespace Serai.Server.Tests.Operations;

/// <summary>
/// Start forecasts on a live server whose jobs really run (the local backend kills each at its time limit): the forecast
/// of a waiting job, and of the same job tested before it is submitted, equals the start the hub then gives it when
/// nothing else arrives; a tenant forecasts only its own jobs.
/// </summary>
public sealed class ForecastTests : IDisposable
{
    private readonly string _directory = TestDatabases.NewDirectory();

    public void Dispose() => TestDatabases.Remove(_directory);

    private static object Sleeper(int gpus, int limitSeconds) => new { command = (string[])["sleep", "1000"], gpus, gpusPerNode = 4, timeLimitSeconds = limitSeconds };

    [Fact]
    public async Task The_forecast_start_of_a_waiting_job_is_the_start_the_hub_then_gives_it()
    {
        await using var server = await new SeraiFactory(TestDatabases.NewSqlite(_directory), _directory, OpsHubs.TwoSites()).StartAsync();
        var alpha = server.Client(SeraiFactory.AlphaToken);
        var beta = server.Client(SeraiFactory.BetaToken);
        // the hub's 16 GPUs (two sites, one pool of two 4-GPU nodes each) are taken by four jobs with known time limits
        var running = new List<long>();
        foreach (var limit in new[] { 8, 20, 12, 16 })
        {
            running.Add(await alpha.SubmitIdAsync(Sleeper(4, limit)));
        }
        foreach (var id in running)
        {
            await alpha.WaitForAsync(id, j => j.State() == "running");
        }

        // an 8-GPU job needs both nodes of one pool: the forecast must find the pool whose two jobs end first
        var wanted = Sleeper(8, 60);
        var tested = await alpha.PostAsync("/api/v1/jobs/test-only", Http.Json(JsonSerializer.Serialize(wanted)));
        Assert.Equal(HttpStatusCode.OK, tested.StatusCode);
        var test = await tested.JsonAsync();
        Assert.Contains("nothing was submitted (test only)", test.GetProperty("notes").EnumerateArray().Select(n => n.GetString()));
        var waiting = await alpha.SubmitIdAsync(wanted);
        var forecast = await (await alpha.GetAsync($"/api/v1/jobs/{waiting}/forecast")).JsonAsync();
        var start = forecast.GetProperty("startUnix").GetInt64();
        var site = forecast.GetProperty("site").GetString();
        Assert.Equal(start, test.GetProperty("startUnix").GetInt64());
        Assert.Equal(site, test.GetProperty("site").GetString());
        Assert.Contains("time limit", forecast.GetProperty("why").GetString(), StringComparison.Ordinal);
        Assert.StartsWith($"job {waiting} would start at ", forecast.GetProperty("text").GetString(), StringComparison.Ordinal);

        // the expected answer, from the running jobs' own starts and limits: per pool, the later end of its two jobs
        var views = new List<JsonElement>();
        foreach (var id in running)
        {
            views.Add(await alpha.GetJobAsync(id));
        }
        var expected = views.GroupBy(v => v.GetProperty("site").GetString())
            .Select(g => (Site: g.Key, End: g.Max(v => v.GetProperty("admittedUnix").GetInt64() + v.GetProperty("timeLimitSeconds").GetInt64())))
            .MinBy(e => e.End);
        Assert.Equal(expected.End, start);
        Assert.Equal(expected.Site, site);

        // a tenant forecasts only its own jobs, and the answer names nothing of the other's
        var foreign = await beta.GetAsync($"/api/v1/jobs/{waiting}/forecast");
        Assert.Equal(HttpStatusCode.NotFound, foreign.StatusCode);
        Assert.Equal($"no job {waiting} visible to this token", (await foreign.JsonAsync()).GetProperty("detail").GetString());

        // nothing else arrives: time runs, the jobs are killed at their limits, and the waiting job starts as forecast
        var started = await alpha.WaitForAsync(waiting, j => j.State() == "running", seconds: 40);
        Assert.Equal("running", started.State());
        Assert.Equal(site, started.GetProperty("site").GetString());
        // the backend kills a job at its limit counted from its launch, a fraction of a second after its admission;
        // the loop hears of the end within the next second
        var admitted = started.GetProperty("admittedUnix").GetInt64();
        Assert.InRange(admitted - start, 0, 2);

        // once running, the forecast says so
        var now = await (await alpha.GetAsync($"/api/v1/jobs/{waiting}/forecast")).JsonAsync();
        Assert.Equal("running", now.GetProperty("state").GetString());
    }

    [Fact]
    public async Task A_test_only_job_that_fits_starts_now_and_bad_input_is_named()
    {
        await using var server = await SiteOperationsTests.StartAsync(_directory, OpsHubs.TwoSites());
        var alpha = server.Client(SeraiFactory.AlphaToken);
        var tested = await (await alpha.PostAsync("/api/v1/jobs/test-only", Http.Json("""{"command":["true"],"gpus":4}"""))).JsonAsync();
        Assert.Equal(tested.GetProperty("nowUnix").GetInt64(), tested.GetProperty("startUnix").GetInt64());
        Assert.Contains("it would start now on ", tested.GetProperty("why").GetString(), StringComparison.Ordinal);
        Assert.Empty((await (await alpha.GetAsync("/api/v1/jobs")).JsonAsync()).GetProperty("items").EnumerateArray());

        var bad = await alpha.PostAsync("/api/v1/jobs/test-only?horizonSeconds=5", Http.Json("""{"command":["true"],"gpus":400}"""));
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        var detail = (await bad.JsonAsync()).GetProperty("detail").GetString()!;
        Assert.Contains("gpus: 400 is out of range", detail, StringComparison.Ordinal);
        Assert.Contains("horizonSeconds: '5' is not allowed; give whole seconds from 60 to 2592000", detail, StringComparison.Ordinal);

        // both pools held by jobs without a time limit: no start within the horizon, said plainly
        foreach (var running in new[] { await alpha.SubmitIdAsync(SiteOperationsTests.Job(8)), await alpha.SubmitIdAsync(SiteOperationsTests.Job(8)) })
        {
            await alpha.WaitForAsync(running, j => j.State() == "running");
        }
        var never = await (await alpha.PostAsync("/api/v1/jobs/test-only?horizonSeconds=3600", Http.Json("""{"command":["true"],"gpus":8}"""))).JsonAsync();
        Assert.Equal(JsonValueKind.Null, never.GetProperty("startUnix").ValueKind);
        Assert.Contains("no time limit", never.GetProperty("why").GetString(), StringComparison.Ordinal);
    }
}
