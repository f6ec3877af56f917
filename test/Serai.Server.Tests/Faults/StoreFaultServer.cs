using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using Dapper;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Serai.Server.Control;
using Serai.Server.Persistence;

namespace Serai.Server.Tests.Faults;

/// <summary>
/// A server on a SQLite file (backend none) for database faults, and the checks made after each: every job answered
/// 201 is stored exactly once, every submission refused with 503 is not stored, and GPUs are held in memory exactly by
/// the jobs the database says hold them.
/// </summary>
public sealed class StoreFaultServer : IAsyncDisposable
{
    private readonly WebApplicationFactory<Program> _factory;

    private StoreFaultServer(WebApplicationFactory<Program> factory, string databasePath)
    {
        _factory = factory;
        DatabasePath = databasePath;
    }

    public string DatabasePath { get; }

    /// <summary>Names of jobs answered 201, with their ids.</summary>
    public ConcurrentDictionary<string, long> Accepted { get; } = new();

    /// <summary>Names of submissions answered 503.</summary>
    public ConcurrentBag<string> Refused { get; } = [];

    /// <summary>Slowest answer to a submission, in milliseconds.</summary>
    public long SlowestSubmitMs;

    public static async Task<StoreFaultServer> StartAsync(string dataDirectory, string databasePath, double lockTimeoutSeconds = 1)
    {
        var factory = new SeraiFactory($"sqlite:{databasePath}", dataDirectory, backend: "none")
            .WithWebHostBuilder(b => b.UseSetting("Serai:DatabaseLockTimeoutSeconds", lockTimeoutSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        _ = factory.Server;
        await factory.Services.GetRequiredService<ControlLoop>().Ready.WaitAsync(TimeSpan.FromSeconds(30));
        return new StoreFaultServer(factory, databasePath);
    }

    public ControlLoop Loop => _factory.Services.GetRequiredService<ControlLoop>();

    public GroupCommitWriter Writer => _factory.Services.GetRequiredService<GroupCommitWriter>();

    public HttpClient Client(double timeoutSeconds = 30)
    {
        var client = _factory.CreateClient();
        client.Timeout = TimeSpan.FromSeconds(timeoutSeconds);
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", SeraiFactory.AdminToken);
        return client;
    }

    /// <summary>Submits one 1-GPU job of tenant alpha under an idempotency key equal to its name; returns the status.</summary>
    public async Task<HttpResponseMessage> SubmitAsync(HttpClient client, string name, int gpus = 1)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/jobs")
        {
            Content = JsonContent.Create(new { command = (string[])["true"], gpus, tenant = "alpha", name }),
        };
        request.Headers.Add("Idempotency-Key", name);
        var clock = Stopwatch.StartNew();
        var response = await client.SendAsync(request);
        InterlockedMax(ref SlowestSubmitMs, clock.ElapsedMilliseconds);
        if (response.StatusCode == HttpStatusCode.Created)
        {
            Accepted[name] = (await response.JsonAsync()).GetProperty("id").GetInt64();
        }
        else if (response.StatusCode == HttpStatusCode.ServiceUnavailable)
        {
            AssertRetryAfter(response);
            Refused.Add(name);
        }
        return response;
    }

    /// <summary>A 503 says when to come back (1 to 60 s) and what happened, as a ProblemDetails.</summary>
    public static void AssertRetryAfter(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        var retry = response.Headers.RetryAfter?.Delta;
        Assert.True(retry is { TotalSeconds: >= 1 and <= 60 }, $"503 without a usable Retry-After: {response.Headers.RetryAfter}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    /// <summary>Polls /healthz until it answers <paramref name="status"/>; returns the body and how long it took.</summary>
    public async Task<(System.Text.Json.JsonElement Health, TimeSpan After)> WaitForHealthAsync(HttpStatusCode status, double seconds = 15)
    {
        using var client = _factory.CreateClient();
        var clock = Stopwatch.StartNew();
        while (true)
        {
            using var response = await client.GetAsync("/healthz");
            if (response.StatusCode == status)
            {
                return (await response.JsonAsync(), clock.Elapsed);
            }
            Assert.True(clock.Elapsed.TotalSeconds < seconds, $"/healthz still answers {(int)response.StatusCode} after {seconds} s, waiting for {(int)status}: {await response.Content.ReadAsStringAsync()}");
            await Task.Delay(100);
        }
    }

    /// <summary>
    /// After a fault: each job answered 201 is stored once under its id, no refused submission was stored, and (once
    /// the loop has caught up, within 15 s) memory and database agree on pending jobs and on the GPUs held.
    /// </summary>
    public async Task AssertNothingLostOrStrandedAsync()
    {
        using var connection = new SqliteConnection($"Data Source={DatabasePath};Pooling=False");
        connection.Open();
        var stored = connection.Query<(long Id, string Name)>("select id, name from jobs").ToList();
        var byName = stored.GroupBy(j => j.Name).ToDictionary(g => g.Key, g => g.Select(j => j.Id).ToList());
        foreach (var (name, id) in Accepted)
        {
            Assert.True(byName.TryGetValue(name, out var ids), $"job {id} ({name}) was answered 201 but is not stored");
            Assert.True(ids!.Count == 1 && ids[0] == id, $"job {name} was answered 201 as {id} and is stored as {string.Join(", ", ids)}");
        }
        foreach (var name in Refused)
        {
            Assert.False(byName.ContainsKey(name), $"submission {name} was answered 503 (nothing changed) but is stored");
        }
        Assert.Equal(Accepted.Count, stored.Count);

        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (true)
        {
            var snapshot = Loop.Snapshot;
            var (pending, holding, gpus) = connection.QuerySingle<(long, long, long)>("""
                select coalesce(sum(case when state = 'pending' then 1 else 0 end), 0),
                       coalesce(sum(case when state in ('admitted', 'starting', 'running', 'stopping') then 1 else 0 end), 0),
                       coalesce(sum(case when state in ('admitted', 'starting', 'running', 'stopping') then gpus else 0 end), 0)
                from jobs
                """);
            var used = snapshot.Sites.Sum(s => s.Gpus.Sum(g => g.Used));
            if (snapshot.PendingJobs == pending && snapshot.RunningJobs == holding && used == gpus)
            {
                return;
            }
            Assert.True(DateTime.UtcNow < deadline,
                $"memory and database disagree: memory {snapshot.PendingJobs} pending, {snapshot.RunningJobs} holding {used} GPUs; database {pending} pending, {holding} holding {gpus} GPUs");
            await Task.Delay(200);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _factory.DisposeAsync();
        SqliteConnection.ClearAllPools();
    }

    private static void InterlockedMax(ref long target, long value)
    {
        long seen;
        while (value > (seen = Interlocked.Read(ref target)) && Interlocked.CompareExchange(ref target, value, seen) != seen)
        {
        }
    }
}
