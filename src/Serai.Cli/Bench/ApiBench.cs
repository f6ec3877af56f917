using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Serai.Server;
using Serai.Server.Control;
using Serai.Server.Persistence;

namespace Serai.Cli.Bench;

/// <summary>What the API benchmark measured.</summary>
public sealed record ApiBenchResult(
    string Database, int Clients, double Seconds, long Submitted, long Errors, double JobsPerSecond,
    double P50Ms, double P90Ms, double P99Ms, double MaxMs, long JobsInDatabase, long GroupCommits, long SchedulerCycles, double SchedulerSeconds, int PendingAtEnd, string? Sbatch);

/// <summary>
/// Starts the server in this process on loopback (backend "none": jobs are scheduled, nothing runs), then N clients
/// submit jobs as fast as they can; latency is measured per request, from send to the 201.
/// </summary>
public static class ApiBench
{
    public static async Task<ApiBenchResult> RunAsync(string database, string hub, int clients, double seconds, Action<string>? progress)
    {
        var directory = Path.Combine(Path.GetTempPath(), "serai-bench-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(directory);
        var (url, label) = database == "postgres" ? (FreshPostgres(), "postgres") : ($"sqlite:{Path.Combine(directory, "bench.db")}", "sqlite");
        var token = "serai_bench_" + Guid.NewGuid().ToString("N");
        await using var app = SeraiApp.Build(
        [
            "--urls", "http://127.0.0.1:0", "--Serai:Database", url, "--Serai:Hub", hub, "--Serai:Backend", "none",
            "--Serai:DataDirectory", directory, "--Serai:BootstrapAdminToken", token, "--Serai:CreateTenantTokens", "false",
            "--Logging:LogLevel:Default", "Warning",
        ]);
        await app.StartAsync();
        var tenant = app.Services.GetRequiredService<HubHolder>().Hub.Tenants[0].Name;
        var address = app.Urls.First();
        progress?.Invoke($"server on {address}, {label}; {clients} clients for {seconds:F0} s (+2 s warm-up)");
        using var handler = new SocketsHttpHandler { MaxConnectionsPerServer = clients, PooledConnectionLifetime = TimeSpan.FromMinutes(10) };
        using var http = new HttpClient(handler) { BaseAddress = new Uri(address) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        var body = Encoding.UTF8.GetBytes($$"""{"command":["true"],"gpus":1,"time":"10","tenant":"{{tenant}}"}""");

        await RunClientsAsync(http, body, clients, TimeSpan.FromSeconds(2), null);
        var latencies = new List<double>[clients];
        var watch = Stopwatch.StartNew();
        var errors = await RunClientsAsync(http, body, clients, TimeSpan.FromSeconds(seconds), latencies);
        var elapsed = watch.Elapsed.TotalSeconds;
        var all = latencies.SelectMany(l => l).Order().ToArray();
        long inDb;
        await using (var connection = await app.Services.GetRequiredService<SeraiDatabase>().OpenAsync(CancellationToken.None))
        {
            inDb = await connection.ExecuteScalarAsync<long>("select count(*) from jobs");
        }
        var commits = app.Services.GetRequiredService<GroupCommitWriter>().Batches;
        var loop = app.Services.GetRequiredService<ControlLoop>().Snapshot;
        await app.StopAsync();
        Cleanup(directory, url);
        return new ApiBenchResult(label, clients, elapsed, all.Length, errors, all.Length / elapsed,
            Percentile(all, 0.50), Percentile(all, 0.90), Percentile(all, 0.99), all.Length == 0 ? 0 : all[^1], inDb, commits,
            loop.Counters.Cycles, loop.Counters.CycleSecondsSum, loop.PendingJobs, SbatchBench.Describe());
    }

    private static async Task<long> RunClientsAsync(HttpClient http, byte[] body, int clients, TimeSpan duration, List<double>[]? latencies)
    {
        var end = Stopwatch.GetTimestamp() + (long)(duration.TotalSeconds * Stopwatch.Frequency);
        long errors = 0;
        await Task.WhenAll(Enumerable.Range(0, clients).Select(c => Task.Run(async () =>
        {
            var mine = new List<double>(8192);
            while (Stopwatch.GetTimestamp() < end)
            {
                var start = Stopwatch.GetTimestamp();
                using var content = new ByteArrayContent(body);
                content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
                using var response = await http.PostAsync("api/v1/jobs", content);
                if (response.StatusCode == HttpStatusCode.Created)
                {
                    mine.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
                }
                else
                {
                    Interlocked.Increment(ref errors);
                }
            }
            if (latencies is not null)
            {
                latencies[c] = mine;
            }
        })));
        return errors;
    }

    // the bench leaves nothing behind: its SQLite file and job directory, or its PostgreSQL schema
    private static void Cleanup(string directory, string url)
    {
        try
        {
            Directory.Delete(directory, recursive: true);
        }
        catch (IOException)
        {
        }
        const string marker = ";Search Path=";
        var at = url.IndexOf(marker, StringComparison.Ordinal);
        if (url.StartsWith("postgres:", StringComparison.Ordinal) && at > 0)
        {
            var schema = url[(at + marker.Length)..].Split(';')[0];
            using var connection = new NpgsqlConnection(url["postgres:".Length..at]);
            connection.Open();
            connection.Execute($"drop schema if exists {schema} cascade");
        }
    }

    internal static double Percentile(double[] sorted, double q) =>
        sorted.Length == 0 ? 0 : sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(q * sorted.Length) - 1)];

    private static string FreshPostgres()
    {
        var baseConnection = Environment.GetEnvironmentVariable("SERAI_BENCH_POSTGRES")
            ?? Environment.GetEnvironmentVariable("SERAI_TEST_POSTGRES")
            ?? "Host=127.0.0.1;Port=5432;Username=serai;Password=serai;Database=serai_test";
        var schema = "bench_" + Guid.NewGuid().ToString("N")[..8];
        using (var connection = new NpgsqlConnection(baseConnection))
        {
            connection.Open();
            connection.Execute($"create schema {schema}");
        }
        return $"postgres:{baseConnection};Search Path={schema};Maximum Pool Size=100";
    }
}
