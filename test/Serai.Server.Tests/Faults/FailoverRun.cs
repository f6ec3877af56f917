using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Dapper;
using Npgsql;

namespace Serai.Server.Tests.Faults;

/// <summary>
/// Real `serai serve` processes on one PostgreSQL schema, running real local jobs, while clients submit: the harness
/// of the PostgreSQL fault tests. Every job touches a file named after its id and its shell's pid in a shared folder,
/// so a job that ran twice leaves two files; clients retry a submission with the same Idempotency-Key until it is
/// answered 201 or 200, so every name they tried is accepted once.
/// </summary>
public sealed class FailoverRun : IDisposable
{
    private readonly List<ServeProcess> _servers = [];
    private volatile ServeProcess? _target;
    private volatile ServeProcess? _fallback;

    private FailoverRun(string directory, string database)
    {
        Directory = directory;
        Database = database;
        Runs = Path.Combine(directory, "runs");
        System.IO.Directory.CreateDirectory(Runs);
        System.IO.Directory.CreateDirectory(Path.Combine(directory, "data"));
        if (!OperatingSystem.IsWindows())
        {
            // jobs run as their tenant's account: they must reach and write the shared folder
            File.SetUnixFileMode(directory, (UnixFileMode)0b111_111_111);
            File.SetUnixFileMode(Runs, (UnixFileMode)0b111_111_111);
        }
    }

    public string Directory { get; }

    public string Database { get; }

    /// <summary>Where each job run leaves its file (JOBID.PID).</summary>
    public string Runs { get; }

    /// <summary>Names of jobs answered 201 (or 200 for a retry the server had committed), with their ids.</summary>
    public ConcurrentDictionary<string, long> Accepted { get; } = new();

    /// <summary>Answers other than 201/200 and lost answers, each retried with the same key.</summary>
    public int Retries;

    /// <summary>A run on a fresh PostgreSQL schema; null when PostgreSQL is unreachable outside CI (in CI that fails).</summary>
    public static FailoverRun? Create() => TestDatabases.NewPostgres() is { } database ? new FailoverRun(TestDatabases.NewDirectory(), database) : null;

    /// <summary>A run on <paramref name="store"/>: <c>sqlite</c> (a file in the run's folder) or <c>postgres</c> (null when unreachable outside CI).</summary>
    public static FailoverRun? Create(string store)
    {
        if (store == "postgres")
        {
            return Create();
        }
        var directory = TestDatabases.NewDirectory();
        return new FailoverRun(directory, TestDatabases.NewSqlite(directory));
    }

    /// <summary>A connection to the run's database, SQLite or PostgreSQL, open.</summary>
    private async Task<System.Data.Common.DbConnection> OpenAsync()
    {
        System.Data.Common.DbConnection connection = Database.StartsWith("sqlite:", StringComparison.Ordinal)
            ? new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={Database["sqlite:".Length..]};Pooling=False")
            : new NpgsqlConnection(Database["postgres:".Length..]);
        await connection.OpenAsync();
        return connection;
    }

    /// <summary>A run on a database of the caller's (a private PostgreSQL server).</summary>
    public static FailoverRun On(string database) => new(TestDatabases.NewDirectory(), database);

    /// <summary>How many submissions got each status (0: no answer), first tries and retries alike.</summary>
    public ConcurrentDictionary<int, int> Statuses { get; } = new();

    /// <summary>Starts a server on this run's database and job folder (every server of a run shares both, as servers on one machine do).</summary>
    public async Task<ServeProcess> StartAsync(int? port = null)
    {
        var server = await ServeProcess.StartAsync(Path.Combine(Directory, "data"), port ?? ServeProcess.FreePort(), backend: "local",
            environment: new Dictionary<string, string> { ["Serai__TickSeconds"] = "1", ["Serai__KillGraceSeconds"] = "1", ["Serai__LeaderPollSeconds"] = "0.5" },
            database: Database);
        lock (_servers)
        {
            _servers.Add(server);
        }
        return server;
    }

    /// <summary>
    /// Starts two servers at once (they take turns at migrations and tokens); returns the one that leads and the one
    /// that stands by, each as its own /healthz says, the standby naming the leader.
    /// </summary>
    public async Task<(ServeProcess Leader, ServeProcess Standby)> StartPairAsync()
    {
        var pair = await Task.WhenAll(StartAsync(), StartAsync());
        var roles = new List<string?>();
        foreach (var server in pair)
        {
            var health = await WaitForHealthAsync(server, h => h.GetProperty("role").GetString() is "leader" or "standby"
                && h.GetProperty("controlLoop").GetString() is "ok" or "standby" && h.GetProperty("leader").GetString() is not null, 30, "a role and a known leader");
            roles.Add(health.GetProperty("role").GetString());
        }
        Assert.True(roles.Count(r => r == "leader") == 1, $"roles of two servers on one database: {string.Join(", ", roles)}");
        var (leader, standby) = roles[0] == "leader" ? (pair[0], pair[1]) : (pair[1], pair[0]);
        var seen = await WaitForHealthAsync(standby, _ => true, 5, "the standby's health");
        Assert.Equal(leader.Url, seen.GetProperty("leader").GetString());
        Assert.Equal("standby", seen.GetProperty("controlLoop").GetString());
        return (leader, standby);
    }

    /// <summary>Clients send to <paramref name="target"/>, and retry on <paramref name="fallback"/> (or the target) after a failure.</summary>
    public void Route(ServeProcess target, ServeProcess? fallback = null)
    {
        _target = target;
        _fallback = fallback;
    }

    public static object Job(string script) => new { command = (string[])["sh", "-c", script], gpus = 1, tenant = "default", name = (string?)null };

    /// <summary>A short job that records its run and exits 0.</summary>
    public object ShortJob(string name) => new { command = (string[])["sh", "-c", $"touch {Runs}/$SERAI_JOB_ID.$$"], gpus = 1, tenant = "default", name };

    /// <summary>
    /// Clients submitting short jobs until <paramref name="stop"/>, each one a second (about what 3 GPUs run on a loaded
    /// 2-core machine, so the queue stays short); each name is retried until accepted (for at most 60 s).
    /// </summary>
    public List<Task> Submit(int clients, CancellationToken stop) => Enumerable.Range(0, clients).Select(c => Task.Run(async () =>
    {
        for (var i = 0; !stop.IsCancellationRequested; i++)
        {
            var name = $"c{c}-{i}";
            var deadline = DateTime.UtcNow.AddSeconds(60);
            for (var server = _target!; !await TrySubmitAsync(server, name); server = _fallback ?? _target!)
            {
                Interlocked.Increment(ref Retries);
                Assert.True(DateTime.UtcNow < deadline, $"{name} was not accepted within 60 s of retries");
                await Task.Delay(200);
            }
            try
            {
                await Task.Delay(1000, stop);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    })).ToList();

    private async Task<bool> TrySubmitAsync(ServeProcess server, string name)
    {
        using var http = server.Client();
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/jobs") { Content = JsonContent.Create(ShortJob(name)) };
        request.Headers.Add("Idempotency-Key", name);
        try
        {
            using var response = await http.SendAsync(request);
            Statuses.AddOrUpdate((int)response.StatusCode, 1, (_, n) => n + 1);
            if (response.StatusCode == HttpStatusCode.ServiceUnavailable)
            {
                StoreFaultServer.AssertRetryAfter(response);
            }
            if (response.StatusCode is not (HttpStatusCode.Created or HttpStatusCode.OK))
            {
                return false;
            }
            var id = (await response.JsonAsync()).GetProperty("id").GetInt64();
            Assert.Equal(id, Accepted.GetOrAdd(name, id)); // a retry gets the job that was committed, never a second one
            return true;
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or IOException)
        {
            Statuses.AddOrUpdate(0, 1, (_, n) => n + 1);
            return false; // no answer: it may or may not have been committed; the retry with the same key says which
        }
    }

    /// <summary>Polls a server's /healthz until <paramref name="done"/> holds; fails at the deadline with the last answer.</summary>
    public static async Task<JsonElement> WaitForHealthAsync(ServeProcess server, Func<JsonElement, bool> done, double seconds, string what)
    {
        using var http = new HttpClient { BaseAddress = new Uri(server.Url), Timeout = TimeSpan.FromSeconds(2) };
        var deadline = Stopwatch.StartNew();
        var last = "(no answer)";
        while (deadline.Elapsed.TotalSeconds < seconds)
        {
            try
            {
                var text = await http.GetStringOrProblemAsync("/healthz");
                last = text;
                var health = JsonDocument.Parse(text).RootElement.Clone();
                if (done(health))
                {
                    return health;
                }
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException or JsonException)
            {
                last = e.Message;
            }
            await Task.Delay(50);
        }
        Assert.Fail($"{what} did not happen within {seconds} s; last /healthz: {last}\n{server.Output}");
        return default;
    }

    /// <summary>Job ids of the runs that left a file, with how many times each ran.</summary>
    public Dictionary<long, int> RunsByJob() => System.IO.Directory.GetFiles(Runs)
        .Select(f => long.Parse(Path.GetFileName(f).Split('.')[0], System.Globalization.CultureInfo.InvariantCulture))
        .GroupBy(id => id).ToDictionary(g => g.Key, g => g.Count());

    /// <summary>
    /// After the run: every accepted job stored once under its id and ended succeeded, each ran exactly once, no job holds
    /// GPUs in the database, the leader's loop holds none, and no process of a job is left.
    /// </summary>
    public async Task AssertNothingLostRunTwiceOrStrandedAsync(ServeProcess leader, IReadOnlyCollection<long> except)
    {
        using var connection = await OpenAsync();
        await LocalExecutionTests.WaitUntilAsync(async () => await connection.ExecuteScalarAsync<long>(
            "select count(*) from jobs where state in ('pending', 'admitted', 'starting', 'running', 'stopping')") == 0, seconds: 90, what: "every job ended");
        var rows = (await connection.QueryAsync<(long Id, string Name, string State)>("select id, name, state from jobs")).ToList();
        var byName = rows.Where(r => r.Name is not null).GroupBy(r => r.Name).ToDictionary(g => g.Key, g => g.ToList());
        foreach (var (name, id) in Accepted)
        {
            Assert.True(byName.TryGetValue(name, out var stored), $"job {id} ({name}) was accepted but is not stored");
            Assert.True(stored!.Count == 1, $"{name} is stored {stored.Count} times");
            Assert.Equal(id, stored[0].Id);
            Assert.True(stored[0].State == "succeeded", $"job {id} ({name}) ended {stored[0].State}");
        }
        var runs = RunsByJob();
        foreach (var row in rows.Where(r => !except.Contains(r.Id)))
        {
            Assert.True(runs.GetValueOrDefault(row.Id) == 1, $"job {row.Id} ({row.Name}) ran {runs.GetValueOrDefault(row.Id)} times");
        }
        Assert.Equal(0, await connection.ExecuteScalarAsync<long>("select count(*) from jobs where placement is not null and state in ('admitted', 'starting', 'running', 'stopping')"));
        // the loop publishes what it applied after the batch that the database already holds
        await WaitForHealthAsync(leader, h => h.GetProperty("runningJobs").GetInt32() == 0 && h.GetProperty("pendingJobs").GetInt32() == 0, 10,
            "the leader's loop holding no job");
        Assert.Empty(ProcessesOfJobs());
    }

    /// <summary>Processes whose command line names this run's folder of runs: jobs' shells (the servers do not name it).</summary>
    public List<int> ProcessesOfJobs() => System.IO.Directory.GetDirectories("/proc")
        .Select(d => int.TryParse(Path.GetFileName(d), out var pid) ? pid : 0).Where(pid => pid > 0)
        .Where(pid =>
        {
            try
            {
                return File.ReadAllText($"/proc/{pid}/cmdline").Contains(Runs, StringComparison.Ordinal);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                return false; // ended meanwhile
            }
        }).ToList();

    public void Dispose()
    {
        foreach (var server in _servers)
        {
            server.Dispose();
        }
        TestDatabases.Remove(Directory, Database);
    }
}

internal static class HealthReads
{
    /// <summary>The body of a GET whatever its status (/healthz answers 503 with a body while degraded).</summary>
    public static async Task<string> GetStringOrProblemAsync(this HttpClient http, string path)
    {
        using var response = await http.GetAsync(path);
        return await response.Content.ReadAsStringAsync();
    }
}
