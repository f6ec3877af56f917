using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using Xunit.Abstractions;

namespace Serai.Server.Tests.Fuzz;

/// <summary>
/// Issue 9, "What to build", item 3 (load): 64 clients submit and list for 20 s against a real `serai serve` on
/// loopback. Every request is answered without an error; latencies are printed, not asserted (they depend on the machine).
/// </summary>
public sealed class LoadTests(ITestOutputHelper output)
{
    private const int Clients = 64;
    private static readonly TimeSpan Duration = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task Sixty_four_clients_submitting_and_listing_for_twenty_seconds_get_no_errors()
    {
        var directory = TestDatabases.NewDirectory();
        try
        {
            using var server = await ServeProcess.StartAsync(directory, ServeProcess.FreePort());
            using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = Clients }) { BaseAddress = new Uri(server.Url), Timeout = TimeSpan.FromSeconds(60) };
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", ServeProcess.AdminToken);
            var submits = new ConcurrentBag<double>();
            var lists = new ConcurrentBag<double>();
            var errors = new ConcurrentQueue<string>();
            var accepted = new ConcurrentDictionary<string, long>();
            var clock = Stopwatch.StartNew();
            await Task.WhenAll(Enumerable.Range(0, Clients).Select(c => Task.Run(async () =>
            {
                for (var i = 0; clock.Elapsed < Duration; i++)
                {
                    var name = $"load-{c}-{i}";
                    var start = Stopwatch.GetTimestamp();
                    try
                    {
                        if (i % 2 == 0)
                        {
                            using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/jobs")
                            {
                                Content = JsonContent.Create(new { command = (string[])["true"], gpus = 1, tenant = c % 2 == 0 ? "default" : "demo", name }),
                            };
                            request.Headers.Add("Idempotency-Key", name);
                            using var response = await http.SendAsync(request);
                            submits.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
                            if (response.StatusCode != HttpStatusCode.Created)
                            {
                                errors.Enqueue($"submit {name}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
                                continue;
                            }
                            accepted[name] = (await response.JsonAsync()).GetProperty("id").GetInt64();
                        }
                        else
                        {
                            using var response = await http.GetAsync($"/api/v1/jobs?limit=50&tenant={(c % 2 == 0 ? "default" : "demo")}");
                            lists.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
                            if (response.StatusCode != HttpStatusCode.OK)
                            {
                                errors.Enqueue($"list: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
                            }
                        }
                    }
                    catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
                    {
                        errors.Enqueue($"{(i % 2 == 0 ? "submit" : "list")} {name}: no answer: {e.Message}");
                    }
                }
            })));
            var seconds = clock.Elapsed.TotalSeconds;

            output.WriteLine($"{Clients} clients for {seconds:0.0} s: {submits.Count} submissions ({submits.Count / seconds:0} per second), {lists.Count} lists ({lists.Count / seconds:0} per second), {errors.Count} errors");
            output.WriteLine($"submit latency: p50 {Percentile(submits, 0.50):0.0} ms, p99 {Percentile(submits, 0.99):0.0} ms, max {submits.DefaultIfEmpty().Max():0.0} ms");
            output.WriteLine($"list latency:   p50 {Percentile(lists, 0.50):0.0} ms, p99 {Percentile(lists, 0.99):0.0} ms, max {lists.DefaultIfEmpty().Max():0.0} ms");
            Assert.True(errors.IsEmpty, $"{errors.Count} requests failed:\n" + string.Join("\n", errors.Take(20)));
            Assert.True(submits.Count > Clients && lists.Count > Clients, $"only {submits.Count} submissions and {lists.Count} lists in {seconds:0.0} s");

            // every job answered 201 is stored once, under the id it was answered with
            var stored = new Dictionary<string, List<long>>();
            string? before = null;
            do
            {
                var page = await (await http.GetAsync($"/api/v1/jobs?limit=1000{(before is null ? "" : "&before=" + before)}")).JsonAsync();
                foreach (var job in page.GetProperty("items").EnumerateArray())
                {
                    var name = job.GetProperty("name").GetString()!;
                    (stored.TryGetValue(name, out var ids) ? ids : stored[name] = []).Add(job.GetProperty("id").GetInt64());
                }
                var next = page.GetProperty("next");
                before = next.ValueKind == System.Text.Json.JsonValueKind.String ? next.GetString() : null;
            }
            while (before is not null);
            Assert.Equal(accepted.Count, stored.Count);
            Assert.All(accepted, a => Assert.Equal([a.Value], stored[a.Key]));
        }
        finally
        {
            TestDatabases.Remove(directory);
        }
    }

    private static double Percentile(IEnumerable<double> values, double p)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length == 0 ? 0 : sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(p * sorted.Length) - 1)];
    }
}
