using System.Diagnostics;
using System.Net;
using Serai.Server.Tests.Security;
using Xunit.Abstractions;

namespace Serai.Server.Tests.Faults;

/// <summary>
/// Issue 9, fault suite: the PostgreSQL server itself stops (fast shutdown) while clients submit and jobs start and end,
/// on a private PostgreSQL of the test's own. While it is down the API answers 503 with Retry-After (never 500, never a
/// hang) and <c>/healthz</c> reports the write path failing; once it is back the same server process resumes by itself;
/// no job answered 201 is lost or stored twice, none runs twice, no GPU is held by a job that does not run, and no
/// process is left without a job. The same when the server turns read-only (25006, as a standby is).
/// </summary>
public sealed class PostgresServerFaultTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Down = TimeSpan.FromSeconds(4);

    [RootFact]
    public async Task A_PostgreSQL_server_stopped_for_seconds_is_answered_503_and_the_server_resumes_by_itself_losing_nothing()
    {
        using var postgres = PrivatePostgres.Start();
        if (postgres is null)
        {
            return; // a developer without PostgreSQL's binaries (in CI, Start fails)
        }
        var server = await FaultAsync(postgres, "stopped", () => postgres.StopFast(), postgres.Begin);
        Assert.Contains("holds the leader lock again", server.Output, StringComparison.Ordinal); // it lost its lock session and took the lock back
    }

    [RootFact]
    public async Task A_PostgreSQL_server_turned_read_only_is_answered_503_and_writes_resume_when_it_is_writable_again()
    {
        using var postgres = PrivatePostgres.Start();
        if (postgres is null)
        {
            return;
        }
        // every session's next transaction is read-only (as on a standby, 25006); existing sessions too, after the reload
        await FaultAsync(postgres, "read-only",
            () =>
            {
                postgres.Sql("alter system set default_transaction_read_only = on");
                postgres.Sql("select pg_reload_conf()");
            },
            () =>
            {
                postgres.Sql("set default_transaction_read_only = off", "alter system reset default_transaction_read_only");
                postgres.Sql("select pg_reload_conf()");
            });
    }

    /// <summary>
    /// Clients submit short jobs; <paramref name="inject"/> makes the fault, which lasts <see cref="Down"/>, during which
    /// every submission (once the first is refused) is answered 503 with Retry-After; then <paramref name="repair"/> and
    /// the checks. Returns the server, still running.
    /// </summary>
    private async Task<ServeProcess> FaultAsync(PrivatePostgres postgres, string fault, Action inject, Action repair)
    {
        using var run = FailoverRun.On(postgres.Url);
        var server = await run.StartAsync();
        await FailoverRun.WaitForHealthAsync(server, h => h.GetProperty("role").GetString() == "leader" && h.GetProperty("controlLoop").GetString() == "ok", 30, "the server leading");
        run.Route(server);
        using var stop = new CancellationTokenSource();
        var clients = run.Submit(4, stop.Token);
        await LocalExecutionTests.WaitUntilAsync(() => run.Accepted.Count >= 8 && run.RunsByJob().Count >= 4, seconds: 40, what: $"8 accepted jobs and 4 runs before the fault ({fault})");
        var acceptedBefore = run.Accepted.Count;

        var faulty = Stopwatch.StartNew();
        inject();
        output.WriteLine($"{fault}: fault made in {faulty.ElapsedMilliseconds} ms with {acceptedBefore} jobs accepted");
        // while it lasts: a submission is refused at once with 503 and Retry-After, /healthz says the writes fail
        using var http = server.Client();
        var refused = 0;
        var slowest = TimeSpan.Zero;
        for (var i = 0; faulty.Elapsed < Down || refused == 0; i++)
        {
            Assert.True(faulty.Elapsed < Down * 2, $"{fault}: no submission was refused within {(Down * 2).TotalSeconds} s");
            var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/jobs") { Content = System.Net.Http.Json.JsonContent.Create(run.ShortJob($"fault-{i}")) };
            request.Headers.Add("Idempotency-Key", $"fault-{i}");
            var sent = Stopwatch.StartNew();
            using var response = await http.SendAsync(request);
            slowest = sent.Elapsed > slowest ? sent.Elapsed : slowest;
            if (response.StatusCode == HttpStatusCode.Created && refused == 0)
            {
                run.Accepted[$"fault-{i}"] = (await response.JsonAsync()).GetProperty("id").GetInt64(); // before the fault showed
                continue;
            }
            Assert.True(response.StatusCode == HttpStatusCode.ServiceUnavailable,
                $"{fault}: a submission got {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}\n{server.Output}");
            StoreFaultServer.AssertRetryAfter(response);
            refused++;
            await Task.Delay(200);
        }
        var health = await FailoverRun.WaitForHealthAsync(server, h => h.GetProperty("writes").GetString() != "ok", 1, "/healthz reporting the write path failing");
        output.WriteLine($"{fault} for {faulty.Elapsed.TotalSeconds:0.0} s: {refused} submissions answered 503 (slowest {slowest.TotalMilliseconds:0} ms); /healthz: {health}");
        Assert.True(slowest < TimeSpan.FromSeconds(6), $"{fault}: a refused submission took {slowest.TotalMilliseconds:0} ms");
        Assert.Null(server.ExitedWithin(TimeSpan.Zero));

        repair();
        var back = Stopwatch.StartNew();
        await FailoverRun.WaitForHealthAsync(server, h => h.GetProperty("writes").GetString() == "ok" && h.GetProperty("role").GetString() == "leader"
            && h.GetProperty("controlLoop").GetString() == "ok", 15, $"the server taking writes and leading again ({fault})");
        var resumed = back.Elapsed;
        var acceptedAtResume = run.Accepted.Count;
        await LocalExecutionTests.WaitUntilAsync(() => run.Accepted.Count >= acceptedAtResume + 8, seconds: 30, what: $"8 more accepted jobs after the fault ({fault})");
        await stop.CancelAsync();
        await Task.WhenAll(clients);

        Assert.Null(server.ExitedWithin(TimeSpan.Zero)); // the same process resumed: no restart by a supervisor
        var statuses = run.Statuses.ToDictionary();
        output.WriteLine($"{fault}: writes and the loop resumed {resumed.TotalMilliseconds:0} ms after the repair; {run.Accepted.Count} jobs accepted, "
            + $"client answers: {string.Join(", ", statuses.OrderBy(s => s.Key).Select(s => $"{s.Key}×{s.Value}"))}");
        Assert.True(statuses.GetValueOrDefault(503) > 0, $"{fault}: no client submission was answered 503 during the fault");
        Assert.DoesNotContain(statuses.Keys, s => s >= 500 && s != 503);
        await run.AssertNothingLostRunTwiceOrStrandedAsync(server, except: []);
        return server;
    }
}
