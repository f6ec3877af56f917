using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Serai.Execution;
using Serai.Execution.Slurm;
using Serai.Execution.Slurm.Commands;
using Serai.Server;
using Serai.Server.Control;

namespace Serai.Cli.Bench;

/// <summary>What one way of submitting N one-GPU jobs to a Slurm cluster achieved.</summary>
public sealed record SlurmBenchRun(string Way, int Jobs, double SubmitSeconds, double AllStartedSeconds, double AllFinishedSeconds, int Failed)
{
    public double SubmissionsPerSecond => SubmitSeconds > 0 ? Jobs / SubmitSeconds : 0;
}

/// <summary>
/// `serai bench slurm`: N one-GPU jobs (`true`) submitted with sbatch directly, then the same N through Serai's Slurm
/// backend, to the same cluster. Start and end times come from Slurm itself (squeue StartTime/EndTime, whole seconds).
/// </summary>
public static class SlurmBench
{
    private const char Sep = '\x1f';

    public static async Task<SlurmBenchRun> DirectAsync(SlurmBackendOptions options, ICommandRunner runner, int jobs, string pool, CancellationToken cancellationToken)
    {
        var slurmPool = options.Pools[pool];
        var tag = "bench-direct-" + Guid.NewGuid().ToString("N")[..6];
        var begin = DateTime.Now;
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < jobs; i++)
        {
            string[] args = ["--parsable", "--job-name=" + tag, "--partition=" + slurmPool.Partition, $"--gres=gpu:{(slurmPool.GresType is { } t ? t + ":" : "")}1",
                "--output=/dev/null", "--no-requeue"];
            var result = await runner.RunAsync("sbatch", args, "#!/bin/sh\ntrue\n", options.CommandTimeout, cancellationToken).ConfigureAwait(false);
            if (!result.Ok)
            {
                throw new InvalidOperationException($"sbatch failed: {result.Problem}");
            }
        }
        var submitted = clock.Elapsed.TotalSeconds;
        var (started, finished, failed) = await WaitAsync(runner, name => name == tag, jobs, begin, cancellationToken).ConfigureAwait(false);
        return new SlurmBenchRun("sbatch directly", jobs, submitted, started, finished, failed);
    }

    public static async Task<SlurmBenchRun> SeraiAsync(SlurmBackendOptions options, ICommandRunner runner, int jobs, string pool, CancellationToken cancellationToken)
    {
        using var backend = new SlurmBackend(options, runner);
        var ended = 0;
        backend.EventRaised += e =>
        {
            if (e is JobEnded)
            {
                Interlocked.Increment(ref ended);
            }
        };
        var firstId = Random.Shared.NextInt64(1_000_000_000, 9_000_000_000);
        var begin = DateTime.Now;
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < jobs; i++)
        {
            var launch = new JobLaunch(firstId + i, 1, "bench", options.Site, pool, [new LaunchNode(-1, null, [0])], "nvidia", ["true"]);
            await backend.DispatchAsync(launch, cancellationToken).ConfigureAwait(false);
        }
        var submitted = clock.Elapsed.TotalSeconds;
        var (started, finished, failed) = await WaitAsync(runner, name => SlurmNames.Parse(name) is { } id && id.JobId >= firstId && id.JobId < firstId + jobs, jobs, begin, cancellationToken).ConfigureAwait(false);
        return new SlurmBenchRun("through Serai (Slurm backend)", jobs, submitted, started, finished, failed);
    }

    /// <summary>
    /// The same N jobs through the whole of Serai: a server started in this process on the hub file (SQLite in a
    /// temporary folder, the site's Slurm backend, the real control loop and scheduler), each job submitted over
    /// HTTP one after another, as a script would, by a tenant that may run only at this site's country.
    /// </summary>
    public static Task<SlurmBenchRun> ThroughApiAsync(string hubPath, SlurmBackendOptions options, ICommandRunner runner, int jobs, CancellationToken cancellationToken) =>
        ThroughServerAsync(hubPath, options, runner, jobs, "through Serai (API, scheduler, backend)", async (server, i, ct) =>
        {
            using var http = new HttpClient { BaseAddress = server.Url };
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", server.Token);
            var body = $$"""{"command":["true"],"gpus":1,"time":"10","tenant":"{{server.Tenant}}"}""";
            using var content = new StringContent(body, Encoding.UTF8, "application/json");
            using var response = await http.PostAsync("api/v1/jobs", content, ct).ConfigureAwait(false);
            var text = await response.Content.ReadAsStringAsync(ct).ConfigureAwait(false);
            if (response.StatusCode != HttpStatusCode.Created)
            {
                throw new InvalidOperationException($"submission {i + 1} answered {(int)response.StatusCode}: {text}");
            }
            return JsonDocument.Parse(text).RootElement.GetProperty("id").GetInt64();
        }, cancellationToken);

    /// <summary>
    /// The same N jobs through Serai's CLI: N `serai submit` processes one after another (as a user's script would),
    /// with the `serai` <see cref="CliExecutable"/> finds, against a server as in <see cref="ThroughApiAsync"/>.
    /// </summary>
    public static Task<SlurmBenchRun> ThroughCliAsync(string hubPath, SlurmBackendOptions options, ICommandRunner runner, int jobs, (string File, string[] Prefix) cli,
        CancellationToken cancellationToken)
    {
        var (file, prefix) = cli;
        return ThroughServerAsync(hubPath, options, runner, jobs, $"through Serai (CLI: `serai submit` × N, {Path.GetFileName(file)})", async (server, i, ct) =>
        {
            var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            foreach (var word in prefix.Concat(["submit", "--url", server.Url.ToString(), "--token", server.Token, "--tenant", server.Tenant, "-G", "1", "-t", "10", "--export", "NONE", "--", "true"]))
            {
                start.ArgumentList.Add(word);
            }
            using var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {file}");
            var stdout = process.StandardOutput.ReadToEndAsync(ct);
            var stderr = process.StandardError.ReadToEndAsync(ct);
            await process.WaitForExitAsync(ct).ConfigureAwait(false);
            var said = (await stdout.ConfigureAwait(false)).Trim();
            if (process.ExitCode != 0 || !said.StartsWith("Submitted job ", StringComparison.Ordinal) || !long.TryParse(said["Submitted job ".Length..], CultureInfo.InvariantCulture, out var id))
            {
                throw new InvalidOperationException($"`serai submit` {i + 1} exited {process.ExitCode}: {said} {await stderr.ConfigureAwait(false)}");
            }
            return id;
        }, cancellationToken);
    }

    /// <summary>
    /// The `serai` the CLI way runs: the one named (a `serai.dll` runs with `dotnet`), else the native client when this
    /// CLI is installed as full/ beside it (as the README installs it), else the `serai` that runs this bench.
    /// </summary>
    public static (string File, string[] Prefix) CliExecutable(string? named = null)
    {
        if (named is not null)
        {
            return named.EndsWith(".dll", StringComparison.OrdinalIgnoreCase) ? ("dotnet", [Path.GetFullPath(named)]) : (Path.GetFullPath(named), []);
        }
        var native = Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "..", "serai"));
        if (File.Exists(native) && Path.GetFileName(Path.TrimEndingDirectorySeparator(AppContext.BaseDirectory)) == "full")
        {
            return (native, []);
        }
        var path = Environment.ProcessPath ?? "serai";
        return Path.GetFileNameWithoutExtension(path) == "dotnet" && typeof(SlurmBench).Assembly.Location is { Length: > 0 } dll ? (path, [dll]) : (path, []);
    }

    /// <summary>Where a bench's server listens, the admin token and the tenant that may run only at the bench's site.</summary>
    private sealed record BenchServer(Uri Url, string Token, string Tenant);

    private static async Task<SlurmBenchRun> ThroughServerAsync(string hubPath, SlurmBackendOptions options, ICommandRunner runner, int jobs, string way,
        Func<BenchServer, int, CancellationToken, Task<long>> submit, CancellationToken cancellationToken)
    {
        var directory = Path.Combine(Path.GetTempPath(), "serai-bench-slurm-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(directory);
        var token = "serai_bench_" + Guid.NewGuid().ToString("N");
        await using var app = SeraiApp.Build(
        [
            "--urls", "http://127.0.0.1:0", "--Serai:Database", $"sqlite:{Path.Combine(directory, "serai.db")}", "--Serai:Hub", hubPath,
            "--Serai:Backend", "none", "--Serai:DataDirectory", directory, "--Serai:BootstrapAdminToken", token,
            "--Serai:CreateTenantTokens", "false", "--Logging:LogLevel:Default", "Warning",
        ]);
        await app.StartAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await app.Services.GetRequiredService<ControlLoop>().Ready.WaitAsync(TimeSpan.FromSeconds(60), cancellationToken).ConfigureAwait(false);
            var hub = app.Services.GetRequiredService<HubHolder>().Hub;
            var site = hub.Sites[hub.SiteIndex(options.Site) ?? throw new InvalidOperationException($"site '{options.Site}' is not in the hub")];
            var tenant = hub.Tenants.FirstOrDefault(t => (t.AllowedCountriesMask & site.CountryMask) != 0 && (t.AllowedCountriesMask & ~site.CountryMask) == 0
                    && hub.Sites.Count(s => (s.CountryMask & t.AllowedCountriesMask) != 0) == 1)
                ?? throw new InvalidOperationException($"no tenant of the hub may run only at site {site.Name}: the jobs through Serai would spread over other sites");
            var server = new BenchServer(new Uri(app.Urls.First()), token, tenant.Name);
            var ids = new System.Collections.Concurrent.ConcurrentDictionary<long, bool>();
            var begin = DateTime.Now;
            var clock = Stopwatch.StartNew();
            // squeue is read while jobs are still submitted: a slow way's first jobs end, and Slurm forgets them, before its last is sent
            var waiting = WaitAsync(runner, name => SlurmNames.Parse(name) is { } id && ids.ContainsKey(id.JobId), jobs, begin, cancellationToken);
            for (var i = 0; i < jobs; i++)
            {
                ids[await submit(server, i, cancellationToken).ConfigureAwait(false)] = true;
            }
            var submitted = clock.Elapsed.TotalSeconds;
            var (started, finished, failed) = await waiting.ConfigureAwait(false);
            return new SlurmBenchRun(way, jobs, submitted, started, finished, failed);
        }
        finally
        {
            await app.StopAsync(CancellationToken.None).ConfigureAwait(false);
            try
            {
                Directory.Delete(directory, recursive: true);
            }
            catch (IOException)
            {
                // a file still open: the temporary folder stays
            }
        }
    }

    /// <summary>
    /// Polls squeue until all N jobs ended; returns seconds from the first submit to the last start and the last end. Each
    /// job's last record is kept across polls: Slurm forgets ended jobs after MinJobAge (300 s), sooner than a slow way ends.
    /// </summary>
    private static async Task<(double Started, double Finished, int Failed)> WaitAsync(ICommandRunner runner, Func<string, bool> mine, int jobs, DateTime begin, CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow.AddHours(1);
        var seen = new Dictionary<string, string[]>(StringComparer.Ordinal);
        while (DateTime.UtcNow < deadline)
        {
            await Task.Delay(500, cancellationToken).ConfigureAwait(false);
            var answer = await runner.RunAsync("squeue", ["-h", "-t", "all", "-O", $"JobID:{Sep},Name:{Sep},State:{Sep},StartTime:{Sep},EndTime:{Sep},SubmitTime:{Sep}"], null, TimeSpan.FromSeconds(30), cancellationToken).ConfigureAwait(false);
            if (!answer.Ok)
            {
                continue;
            }
            // names may repeat across runs (a fresh database counts job ids from 1): only jobs submitted since we began
            foreach (var f in answer.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Split(Sep)))
            {
                if (f.Length >= 6 && mine(f[1].Trim()) && Time(f[5]) is { } submittedAt && submittedAt >= begin.AddSeconds(-1))
                {
                    seen[f[0].Trim()] = f[1..];
                }
            }
            var done = seen.Values.Where(f => f[1].Trim() is not ("PENDING" or "RUNNING" or "CONFIGURING" or "COMPLETING")).ToList();
            if (seen.Count >= jobs && done.Count >= jobs)
            {
                var starts = done.Select(f => Time(f[2])).Where(t => t is not null).Select(t => t!.Value).ToList();
                var ends = done.Select(f => Time(f[3])).Where(t => t is not null).Select(t => t!.Value).ToList();
                return (starts.Count == 0 ? 0 : (starts.Max() - begin).TotalSeconds, ends.Count == 0 ? 0 : (ends.Max() - begin).TotalSeconds,
                    done.Count(f => f[1].Trim() != "COMPLETED"));
            }
        }
        throw new TimeoutException("the jobs did not all finish within an hour");
    }

    private static DateTime? Time(string text) =>
        DateTime.TryParseExact(text.Trim(), "yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture, DateTimeStyles.AssumeLocal, out var t) ? t : null;
}
