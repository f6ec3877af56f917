using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;

namespace Serai.Server.Tests;

/// <summary>SIGKILL of a real `serai serve` while clients submit: every job answered 201 exists exactly once after restart.</summary>
public sealed class CrashTests
{
    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task Every_job_answered_201_survives_a_SIGKILL_exactly_once(string kind)
    {
        var directory = TestDatabases.NewDirectory();
        var database = kind == "sqlite" ? TestDatabases.NewSqlite(directory) : TestDatabases.NewPostgres();
        if (database is null)
        {
            return; // no PostgreSQL outside CI (in CI, NewPostgres fails)
        }
        try
        {
            await SubmitKillAndCheckAsync(directory, database);
        }
        finally
        {
            TestDatabases.Remove(directory, database);
        }
    }

    private static async Task SubmitKillAndCheckAsync(string directory, string database)
    {
        var port = ServeProcess.FreePort();
        var accepted = new ConcurrentDictionary<string, long>();
        var unknown = new ConcurrentBag<string>();
        using (var first = await ServeProcess.StartAsync(directory, port, database: database))
        {
            using var stop = new CancellationTokenSource();
            var clients = Enumerable.Range(0, 16).Select(c => Task.Run(async () =>
            {
                using var http = first.Client();
                for (var i = 0; !stop.IsCancellationRequested; i++)
                {
                    var name = $"c{c}-{i}";
                    var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/jobs")
                    {
                        Content = JsonContent.Create(new { command = (string[])["true"], gpus = 1, tenant = "default", name }),
                    };
                    request.Headers.Add("Idempotency-Key", name);
                    try
                    {
                        using var response = await http.SendAsync(request);
                        if (response.StatusCode != HttpStatusCode.Created)
                        {
                            unknown.Add(name);
                            continue;
                        }
                        accepted[name] = (await response.JsonAsync()).GetProperty("id").GetInt64();
                    }
                    catch (Exception e) when (e is HttpRequestException or TaskCanceledException or IOException)
                    {
                        unknown.Add(name); // sent, answer lost: it may or may not have been committed
                        return;
                    }
                }
            })).ToList();
            // kill once enough jobs were accepted, however long a loaded machine takes to get there
            await LocalExecutionTests.WaitUntilAsync(() => accepted.Count > 50, seconds: 60, what: "more than 50 accepted jobs before the kill");
            var status = first.Kill();
            stop.Cancel();
            Assert.True(status == 128 + 9, $"the server ended with status {status}, not by SIGKILL: its shutdown code may have run");
            await Task.WhenAll(clients);
        }
        Assert.True(accepted.Count > 50, $"only {accepted.Count} jobs were accepted before the kill");

        using var second = await ServeProcess.StartAsync(directory, port, database: database);
        using var client = second.Client();
        var jobs = await AllJobsAsync(client);
        var byName = jobs.GroupBy(j => j.Name).ToDictionary(g => g.Key, g => g.ToList());
        Assert.All(byName, g => Assert.Single(g.Value));
        foreach (var (name, id) in accepted)
        {
            Assert.True(byName.TryGetValue(name, out var found), $"job {id} ({name}) was answered 201 but is gone after the crash");
            Assert.Equal(id, found![0].Id);
        }
        // a client that lost its answer retries with the same key: it gets the job that was committed, or a new one, never two
        foreach (var name in unknown.Take(8))
        {
            var retry = new HttpRequestMessage(HttpMethod.Post, "/api/v1/jobs")
            {
                Content = JsonContent.Create(new { command = (string[])["true"], gpus = 1, tenant = "default", name }),
            };
            retry.Headers.Add("Idempotency-Key", name);
            var response = await client.SendAsync(retry);
            Assert.Equal(byName.ContainsKey(name) ? HttpStatusCode.OK : HttpStatusCode.Created, response.StatusCode);
        }
    }

    private static async Task<List<(long Id, string Name)>> AllJobsAsync(HttpClient client)
    {
        var all = new List<(long, string)>();
        string? before = null;
        do
        {
            var page = await (await client.GetAsync($"/api/v1/jobs?limit=1000{(before is null ? "" : "&before=" + before)}")).JsonAsync();
            all.AddRange(page.GetProperty("items").EnumerateArray().Select(j => (j.GetProperty("id").GetInt64(), j.GetProperty("name").GetString()!)));
            var next = page.GetProperty("next");
            before = next.ValueKind == System.Text.Json.JsonValueKind.String ? next.GetString() : null;
        }
        while (before is not null);
        return all;
    }
}
