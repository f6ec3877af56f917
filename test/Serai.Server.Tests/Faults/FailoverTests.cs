using System.Diagnostics;
using System.Net;
using Dapper;
using Npgsql;
using Xunit.Abstractions;

namespace Serai.Server.Tests.Faults;

/// <summary>
/// Issue 9, highly available control plane and the fault suite on PostgreSQL: real `serai serve` processes on one
/// PostgreSQL schema, real local jobs, clients submitting throughout. SIGKILL of the leader (a standby takes over) and
/// of the only server (a restart takes over) while jobs are submitted, started and ended: no accepted job lost or
/// stored twice, none run twice, no GPU held by a job that does not run, no process left without a job.
/// </summary>
public sealed class FailoverTests(ITestOutputHelper output)
{
    [Fact]
    public async Task A_standby_takes_over_within_ten_seconds_of_a_SIGKILL_of_the_leader_and_no_job_is_lost_run_twice_or_stranded()
    {
        using var run = FailoverRun.Create();
        if (run is null)
        {
            return; // no PostgreSQL outside CI (in CI, Create fails)
        }
        var clock = Stopwatch.StartNew();
        var (leader, standby) = await run.StartPairAsync();

        // submitted to the standby: forwarded to the leader, which runs it; it ends only when told to
        using var viaStandby = standby.Client();
        var go = Path.Combine(run.Directory, "go");
        var longId = await viaStandby.SubmitIdAsync(FailoverRun.Job($"touch {run.Runs}/$SERAI_JOB_ID.$$; while [ ! -e {go} ]; do sleep 0.1; done; exit 5"));
        Assert.Equal("running", (await viaStandby.WaitForAsync(longId, j => j.State() == "running", seconds: 30)).State());

        output.WriteLine($"{clock.ElapsedMilliseconds} ms: two servers up, the long job running");
        run.Route(leader, fallback: standby);
        using var stop = new CancellationTokenSource();
        var clients = run.Submit(4, stop.Token);
        await LocalExecutionTests.WaitUntilAsync(() => run.Accepted.Count >= 12 && run.RunsByJob().Count >= 8, seconds: 60, what: "12 accepted jobs and 8 runs before the kill");
        output.WriteLine($"{clock.ElapsedMilliseconds} ms: {run.Accepted.Count} accepted, killing the leader");
        var killed = Stopwatch.StartNew();
        Assert.True(leader.Kill() == 128 + 9, "the leader did not end by SIGKILL");
        // asked before it leads, the standby answers 503 with Retry-After (the leader is gone), never an error of its own
        using (var during = await viaStandby.GetAsync("/api/v1/jobs"))
        {
            var role = (await FailoverRun.WaitForHealthAsync(standby, _ => true, 5, "the standby's health")).GetProperty("role").GetString();
            if (role == "standby")
            {
                Assert.Equal(HttpStatusCode.ServiceUnavailable, during.StatusCode);
                Assert.Equal(TimeSpan.FromSeconds(1), during.Headers.RetryAfter?.Delta);
                output.WriteLine($"asked between the kill and the takeover, the standby answered 503: {await during.Content.ReadAsStringAsync()}");
            }
        }
        var took = await FailoverRun.WaitForHealthAsync(standby, h => h.GetProperty("role").GetString() == "leader" && h.GetProperty("controlLoop").GetString() == "ok", 10, "the standby taking over");
        var failover = killed.Elapsed;
        Assert.Equal(standby.Url, took.GetProperty("leader").GetString());
        run.Route(standby);
        var acceptedAtTakeover = run.Accepted.Count;
        await LocalExecutionTests.WaitUntilAsync(() => run.Accepted.Count >= acceptedAtTakeover + 8, seconds: 30, what: "8 more accepted jobs on the new leader");
        await stop.CancelAsync();
        await Task.WhenAll(clients);

        // the long job was reattached, not started again: it still runs once, and its exit code reaches the new leader
        Assert.Equal("running", (await viaStandby.GetJobAsync(longId)).State());
        Assert.Equal(1, run.RunsByJob()[longId]);
        await File.WriteAllTextAsync(go, "");
        var ended = await viaStandby.WaitForAsync(longId, j => j.State() == "failed", seconds: 30);
        Assert.Equal(5, ended.GetProperty("exitCode").GetInt64());

        output.WriteLine($"{clock.ElapsedMilliseconds} ms: the long job ended; checking");
        await run.AssertNothingLostRunTwiceOrStrandedAsync(standby, except: []);
        output.WriteLine($"{clock.ElapsedMilliseconds} ms: done");
        output.WriteLine($"failover: the standby led with its loop ready {failover.TotalMilliseconds:0} ms after the SIGKILL; {run.Accepted.Count} jobs accepted, {run.Retries} submissions retried");
        Assert.True(failover < TimeSpan.FromSeconds(10), $"failover took {failover.TotalSeconds:0.0} s");
    }

    [Fact]
    public async Task Failed_authentications_through_a_standby_count_against_the_client_there_not_against_the_standby_at_the_leader()
    {
        using var run = FailoverRun.Create();
        if (run is null)
        {
            return;
        }
        var (leader, standby) = await run.StartPairAsync();
        using var http = new HttpClient();
        async Task<HttpStatusCode> GetJobsAsync(ServeProcess server, string token)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, server.Url + "/api/v1/jobs");
            request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
            using var response = await http.SendAsync(request);
            return response.StatusCode;
        }
        Assert.Equal(HttpStatusCode.OK, await GetJobsAsync(standby, ServeProcess.AdminToken)); // a good token is forwarded
        var codes = new List<HttpStatusCode>();
        for (var i = 0; i < 25; i++)
        {
            codes.Add(await GetJobsAsync(standby, $"serai_wrong_{i}"));
        }
        // the standby answers them itself: 401, then 429 once this client passes the limit (20 a minute)
        Assert.Equal(HttpStatusCode.Unauthorized, codes[0]);
        Assert.Equal(HttpStatusCode.TooManyRequests, codes[^1]);
        Assert.Contains("authentication failed from", standby.Output, StringComparison.Ordinal);
        // the leader saw none of them, so the standby's own address is not locked out there
        Assert.DoesNotContain("authentication failed", leader.Output, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, await GetJobsAsync(leader, ServeProcess.AdminToken));
    }

    [Fact]
    public async Task A_leader_that_loses_its_lock_stops_and_the_standby_takes_over()
    {
        using var run = FailoverRun.Create();
        if (run is null)
        {
            return;
        }
        var (leader, standby) = await run.StartPairAsync();
        // PostgreSQL ends the leader's lock session (as a restart of PostgreSQL or a network cut would) while its process lives
        await using (var connection = new NpgsqlConnection(run.Database["postgres:".Length..]))
        {
            var ended = await connection.QueryAsync<bool>("select pg_terminate_backend(pid) from pg_stat_activity where application_name = @name", new { name = "serai " + leader.Url });
            Assert.Equal([true], ended);
        }
        var stopped = Stopwatch.StartNew();
        var status = leader.ExitedWithin(TimeSpan.FromSeconds(20));
        Assert.True(status is not null, $"the leader still runs 20 s after losing its lock:\n{leader.Output}");
        Assert.NotEqual(0, status);
        Assert.Contains("lost the leader lock", leader.Output, StringComparison.Ordinal);
        var took = await FailoverRun.WaitForHealthAsync(standby, h => h.GetProperty("role").GetString() == "leader" && h.GetProperty("controlLoop").GetString() == "ok", 10, "the standby taking over");
        Assert.Equal(standby.Url, took.GetProperty("leader").GetString());
        output.WriteLine($"the old leader ended {stopped.ElapsedMilliseconds} ms after its lock session was ended, with status {status}");
    }

    [Fact]
    public async Task A_deposed_leader_that_wakes_up_after_a_new_leader_took_over_cannot_commit_a_write()
    {
        using var run = FailoverRun.Create();
        if (run is null)
        {
            return;
        }
        var (leader, standby) = await run.StartPairAsync();
        // the leader hangs (as a stalled machine would) and loses its lock session; its other connections live on
        Shell.Must("kill", "-STOP", leader.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture));
        try
        {
            await using (var connection = new NpgsqlConnection(run.Database["postgres:".Length..]))
            {
                var ended = await connection.QueryAsync<bool>("select pg_terminate_backend(pid) from pg_stat_activity where application_name = @name", new { name = "serai " + leader.Url });
                Assert.Equal([true], ended);
            }
            await FailoverRun.WaitForHealthAsync(standby, h => h.GetProperty("role").GetString() == "leader" && h.GetProperty("controlLoop").GetString() == "ok", 10, "the standby taking over");
        }
        finally
        {
            Shell.Must("kill", "-CONT", leader.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }
        // woken up, the old leader still has its writer's connection and believes it leads until its next lock check
        using var http = leader.Client();
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/jobs") { Content = System.Net.Http.Json.JsonContent.Create(run.ShortJob("fenced")) };
        using var response = await http.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        output.WriteLine($"the deposed leader answered {(int)response.StatusCode}: {body}");
        Assert.True(response.StatusCode == HttpStatusCode.ServiceUnavailable, $"the deposed leader answered {(int)response.StatusCode}: {body}\n{leader.Output}");
        Assert.Contains("no longer leads", body, StringComparison.Ordinal);
        await using (var connection = new NpgsqlConnection(run.Database["postgres:".Length..]))
        {
            Assert.Equal(0, await connection.ExecuteScalarAsync<long>("select count(*) from jobs where name = 'fenced'"));
        }
        var status = leader.ExitedWithin(TimeSpan.FromSeconds(20));
        Assert.True(status is not null and not 0, $"the deposed leader still runs or ended well ({status}):\n{leader.Output}");
        // the new leader serves
        using var viaNew = standby.Client();
        await viaNew.SubmitIdAsync(FailoverRun.Job("true"));
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task Repeated_SIGKILLs_of_the_server_while_jobs_start_and_end_lose_none_run_none_twice_and_strand_none(string store)
    {
        using var run = FailoverRun.Create(store);
        if (run is null)
        {
            return;
        }
        var server = await run.StartAsync();
        run.Route(server);
        using var stop = new CancellationTokenSource();
        var clients = run.Submit(4, stop.Token);
        // killed twice while jobs are placed, started and ended: state changes in flight
        await LocalExecutionTests.WaitUntilAsync(() => run.Accepted.Count >= 12 && run.RunsByJob().Count >= 8, seconds: 60, what: "12 accepted jobs and 8 runs before the first kill");
        for (var kill = 1; kill <= 2; kill++)
        {
            var port = new Uri(server.Url).Port;
            Assert.True(server.Kill() == 128 + 9, $"the server did not end by SIGKILL (kill {kill})");
            var restarted = Stopwatch.StartNew();
            server = await run.StartAsync(port);
            run.Route(server);
            await FailoverRun.WaitForHealthAsync(server, h => h.GetProperty("controlLoop").GetString() == "ok", 30, $"the restarted server's loop ready (kill {kill})");
            output.WriteLine($"{store}, kill {kill}: serving again {restarted.ElapsedMilliseconds} ms after the SIGKILL");
            var acceptedAtRestart = run.Accepted.Count;
            await LocalExecutionTests.WaitUntilAsync(() => run.Accepted.Count >= acceptedAtRestart + 8, seconds: 30, what: $"8 more accepted jobs after restart {kill}");
        }
        await stop.CancelAsync();
        await Task.WhenAll(clients);
        using var http = server.Client();
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/api/v1/jobs")).StatusCode);
        await run.AssertNothingLostRunTwiceOrStrandedAsync(server, except: []);
        output.WriteLine($"{store}: {run.Accepted.Count} jobs accepted, {run.Retries} submissions retried");
    }
}
