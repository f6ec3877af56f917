using System.Diagnostics;
using System.Net;
using Dapper;
using Microsoft.Data.Sqlite;
using Xunit.Abstractions;

namespace Serai.Server.Tests.Faults;

/// <summary>
/// Issue 9, defect 4: a database locked by someone else for longer than the write path waits. Before the fix every
/// submission waited out a 30 s lock timeout (then one more per queued item), `/healthz` said ok, cancel answered
/// 500 after 60 s, and a submission refused before its batch began left intake stopped for good.
/// </summary>
public sealed class DatabaseLockTests(ITestOutputHelper output) : IAsyncLifetime
{
    private readonly string _directory = TestDatabases.NewDirectory();
    private StoreFaultServer _server = null!;

    public async Task InitializeAsync() => _server = await StoreFaultServer.StartAsync(_directory, Path.Combine(_directory, "serai.db"));

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        TestDatabases.Remove(_directory);
    }

    [Fact]
    public async Task While_the_database_is_locked_writes_are_answered_503_with_Retry_After_health_says_why_and_intake_resumes_by_itself()
    {
        using var client = _server.Client(timeoutSeconds: 20);
        var running = (await _server.SubmitAsync(client, "before-lock")).StatusCode == HttpStatusCode.Created ? _server.Accepted["before-lock"] : 0;
        Assert.NotEqual(0, running);
        Assert.Equal("running", (await client.WaitForAsync(running, j => j.State() == "running")).State());
        Assert.Equal(HttpStatusCode.Created, (await _server.SubmitAsync(client, "just-before-lock")).StatusCode);

        // someone else takes the write lock (an operator's sqlite3 shell, a backup) and keeps it
        var locker = new SqliteConnection($"Data Source={_server.DatabasePath};Pooling=False");
        locker.Open();
        locker.Execute("PRAGMA busy_timeout = 10000; BEGIN IMMEDIATE; update sequences set value = value where name = 'jobs';");
        var locked = Stopwatch.StartNew();
        try
        {
            // every submission is answered, none waits long: the first waits out the 1 s lock timeout, the rest are refused at once
            var answers = await Task.WhenAll(Enumerable.Range(0, 16).Select(i => _server.SubmitAsync(client, $"during-lock-{i}")));
            Assert.All(answers, a => StoreFaultServer.AssertRetryAfter(a));
            Assert.True(_server.SlowestSubmitMs < 10_000, $"a submission during the lock took {_server.SlowestSubmitMs} ms");

            var (health, _) = await _server.WaitForHealthAsync(HttpStatusCode.ServiceUnavailable, seconds: 5);
            Assert.Equal("degraded", health.GetProperty("status").GetString());
            Assert.Contains("database", health.GetProperty("writes").GetString(), StringComparison.Ordinal);

            var cancel = Stopwatch.StartNew();
            using var refusedCancel = await client.PostAsync($"/api/v1/jobs/{running}/cancel", null);
            StoreFaultServer.AssertRetryAfter(refusedCancel);
            Assert.True(cancel.Elapsed.TotalSeconds < 10, $"cancel during the lock took {cancel.Elapsed.TotalSeconds:0.0} s");

            // reads go on
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/v1/jobs")).StatusCode);
            // hold the lock past several probes and refused retries
            while (locked.Elapsed < TimeSpan.FromSeconds(4))
            {
                StoreFaultServer.AssertRetryAfter(await _server.SubmitAsync(client, $"retry-{locked.ElapsedMilliseconds}"));
                await Task.Delay(250);
            }
        }
        finally
        {
            locker.Execute("ROLLBACK");
            locker.Dispose();
        }

        var (_, recovered) = await _server.WaitForHealthAsync(HttpStatusCode.OK, seconds: 10);
        Assert.True(recovered < TimeSpan.FromSeconds(5), $"writes resumed {recovered.TotalSeconds:0.0} s after the lock went");
        output.WriteLine($"locked {locked.Elapsed.TotalSeconds:0.0} s: {_server.Refused.Count} submissions refused with 503, slowest answer {_server.SlowestSubmitMs} ms; writable again {recovered.TotalSeconds:0.0} s after the lock went");
        Assert.Equal(HttpStatusCode.Created, (await _server.SubmitAsync(client, "after-lock")).StatusCode);
        using (var cancelled = await client.PostAsync($"/api/v1/jobs/{running}/cancel", null))
        {
            Assert.Equal(HttpStatusCode.OK, cancelled.StatusCode);
        }
        Assert.Equal("cancelled", (await client.WaitForAsync(running, j => j.State() == "cancelled")).State());
        foreach (var name in (string[])["just-before-lock", "after-lock"])
        {
            Assert.Equal("running", (await client.WaitForAsync(_server.Accepted[name], j => j.State() == "running")).State());
        }
        Assert.True(_server.Refused.Count >= 16, $"only {_server.Refused.Count} submissions were refused during the lock");
        await _server.AssertNothingLostOrStrandedAsync();
    }
}
