using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Serai.Slurm.Tests.Live;
using Xunit.Abstractions;

using static Serai.Slurm.Tests.Server.SlurmServer;

namespace Serai.Slurm.Tests.Server;

/// <summary>
/// Issue 9's fault "a backend unreachable": the server loses contact with site kz's Slurm controller for a while (its
/// slurm.conf, a copy of the test's own, names a port nobody listens on: every command fails with "Unable to contact
/// slurm controller") while a job runs there and others are submitted; the cluster itself and other tests go on.
/// </summary>
[Collection(SerialSlurm.Name)]
public sealed class SlurmUnreachableTests(ITestOutputHelper output)
{
    [Fact]
    public async Task A_slurm_site_unreachable_for_a_while_is_reported_down_and_loses_strands_and_doubles_no_job()
    {
        if (!LiveClusters.Available())
        {
            return;
        }
        var directory = Path.Combine(Path.GetTempPath(), "serai-slurm-server-" + Guid.NewGuid().ToString("N")[..8]);
        var runs = Path.Combine(directory, "runs"); // each run of a job appends a line to RUNS/ID: Slurm runs it, not the server
        Directory.CreateDirectory(runs);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(runs, (UnixFileMode)0x1FF); // jobs may run as another account than the tests
        }
        var conf = Path.Combine(directory, "kz-slurm.conf");
        var good = await File.ReadAllTextAsync(LiveClusters.Conf("kz"));
        var bad = good.Replace("SlurmctldPort=7117", $"SlurmctldPort={UnusedPort()}", StringComparison.Ordinal);
        Assert.NotEqual(good, bad);
        await WriteAsync(conf, good);

        using var server = await new SlurmServer(directory) { KzSlurmConf = conf }.StartAsync();
        var kzGov = server.Client(KzGovToken); // kz-gov may run only in Kazakhstan: its jobs cannot go to uz meanwhile
        var longJob = await SubmitAsync(kzGov, Job(runs, $"echo started; while [ ! -e {runs}/go ]; do sleep 0.2; done; exit 7"));
        await LiveClusters.WaitUntilAsync(async () => State(await GetAsync(kzGov, longJob)) == "running"
            && (await kzGov.GetStringAsync($"/api/v1/jobs/{longJob}/logs")).Contains("started", StringComparison.Ordinal), 40, "the long job running in Slurm");
        await AssertGpusHeldOnlyByRunningJobsAsync(kzGov, 1);

        // the outage: from now on every Slurm command of the server's kz site fails
        await WriteAsync(conf, bad);
        var outage = Stopwatch.StartNew();
        Assert.False((await Slurm(conf, "squeue", "-h")).Ok, "squeue answered through the broken slurm.conf");
        await File.WriteAllTextAsync(Path.Combine(runs, "go"), ""); // the long job ends in Slurm while the server cannot see it
        var submitted = new List<long>();
        for (var i = 0; i < 2; i++)
        {
            // placed at kz before the outage is noticed: their submissions to Slurm fail
            submitted.Add(await SubmitAsync(kzGov, Job(runs, "echo quick")));
            await WaitForAsync(kzGov, submitted[^1], j => State(j) == "starting", 20);
        }
        await WaitForSiteAsync(kzGov, true, 120, "site kz reported down and unreachable");
        var detected = outage.Elapsed;
        output.WriteLine($"site kz reported down {detected.TotalSeconds:F1} s after the cut");
        foreach (var id in submitted)
        {
            var answered = await WaitForAsync(kzGov, id, j => State(j) is not ("admitted" or "starting"), 120);
            Assert.True(State(answered) == "pending", $"job {id}, whose submission to the unreachable Slurm failed, is not back in Serai's queue: {answered}");
        }
        var dispatchFailed = outage.Elapsed;
        output.WriteLine($"the 2 submissions to Slurm under way failed and their jobs were back in the queue {dispatchFailed.TotalSeconds:F1} s after the cut");
        for (var i = 0; i < 2; i++)
        {
            submitted.Add(await SubmitAsync(kzGov, Job(runs, "echo quick")));
        }
        // Slurm (asked through the cluster's own slurm.conf) ran the long job to its end; Serai cannot know yet
        var slurmId = File.ReadAllLines(RunFile(runs, longJob))[0];
        await LiveClusters.WaitUntilAsync(async () => (await LiveClusters.Slurm("kz", "squeue", "-h", "-t", "all", "-j", slurmId, "-o", "%T")).Stdout.Trim() == "FAILED",
            30, $"Slurm job {slurmId} ending with exit code 7 during the outage");
        var during = await GetAsync(kzGov, longJob);
        Assert.True(State(during) == "running", $"the long job, in Slurm's hands, is no longer running in Serai during the outage: {during}");
        var waiting = await WaitForAsync(kzGov, submitted[^1], j => j.TryGetProperty("reason", out var r) && r.GetString() is { } text
            && text.Contains("kz is down", StringComparison.Ordinal), 20);
        Assert.Equal("pending", State(waiting));
        Assert.True((await server.CreateClient().GetAsync("/healthz")).IsSuccessStatusCode, "/healthz during the outage");
        await AssertGpusHeldOnlyByRunningJobsAsync(kzGov, null);
        Assert.Equal(1, Lines(runs, longJob));

        await WriteAsync(conf, good);
        var length = outage.Elapsed;
        var back = Stopwatch.StartNew();
        await WaitForSiteAsync(kzGov, false, 60, "site kz reported up again");
        var recovered = back.Elapsed;
        output.WriteLine($"outage {length.TotalSeconds:F1} s; site kz reported up {recovered.TotalSeconds:F1} s after contact came back");
        var ended = await WaitForAsync(kzGov, longJob, Ended, 60);
        var endedAfter = back.Elapsed;
        Assert.True(State(ended) == "failed" && ended.GetProperty("exitCode").GetInt64() == 7, $"the long job did not end with its own exit code 7: {ended}");
        foreach (var id in submitted)
        {
            var job = await WaitForAsync(kzGov, id, Ended, 120);
            Assert.True(State(job) == "succeeded" && job.GetProperty("site").GetString() == "kz", $"job {id} submitted during the outage: {job}");
        }
        var allDone = back.Elapsed;
        foreach (var id in submitted.Prepend(longJob))
        {
            Assert.True(Lines(runs, id) == 1, $"job {id} ran {Lines(runs, id)} times in Slurm");
        }
        await AssertGpusHeldOnlyByRunningJobsAsync(kzGov, 0);
        var left = await LiveClusters.Slurm("kz", "squeue", "-h", "-t", "pending,running,suspended,completing", "-O", "JobID:12,Name:30,StdOut:300");
        Assert.DoesNotContain(Path.GetFileName(directory), left.Stdout, StringComparison.Ordinal);
        output.WriteLine($"outage {length.TotalSeconds:F1} s; site reported down {detected.TotalSeconds:F1} s after the cut; "
            + $"up {recovered.TotalSeconds:F1} s after contact came back; the long job's end (exit 7) known {endedAfter.TotalSeconds:F1} s after; "
            + $"2 jobs whose submission to Slurm failed back in the queue {dispatchFailed.TotalSeconds:F1} s after the cut; all {submitted.Count} jobs submitted during the outage succeeded, each run once, {allDone.TotalSeconds:F1} s after");
    }

    private static object Job(string runs, string script) =>
        new { command = (string[])["sh", "-c", $"echo \"$SLURM_JOB_ID\" >> {runs}/$SERAI_JOB_ID; {script}"], gpus = 1, time = "5" };

    private static string RunFile(string runs, long id) => Path.Combine(runs, id.ToString(System.Globalization.CultureInfo.InvariantCulture));

    private static int Lines(string runs, long id) => File.Exists(RunFile(runs, id)) ? File.ReadAllLines(RunFile(runs, id)).Length : 0;

    /// <summary>Written beside and renamed over, so that no Slurm command reads half a file.</summary>
    private static async Task WriteAsync(string path, string text)
    {
        await File.WriteAllTextAsync(path + ".new", text);
        File.Move(path + ".new", path, overwrite: true);
    }

    private static int UnusedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port; // closed again: connections to it are refused
    }

    private static Task<Serai.Execution.Slurm.Commands.CommandResult> Slurm(string conf, string program, params string[] args) =>
        new Serai.Execution.Slurm.Commands.ProcessCommandRunner(new Dictionary<string, string> { ["SLURM_CONF"] = conf })
            .RunAsync(program, args, null, TimeSpan.FromSeconds(30), CancellationToken.None);

    private static async Task<JsonElement> GetAsync(HttpClient client, long id) =>
        JsonDocument.Parse(await client.GetStringAsync($"/api/v1/jobs/{id}")).RootElement;

    private static async Task<JsonElement> KzAsync(HttpClient client) =>
        JsonDocument.Parse(await client.GetStringAsync("/api/v1/sites")).RootElement.EnumerateArray().First(s => s.GetProperty("name").GetString() == "kz");

    /// <summary>Waits until the sites API says kz is down and unreachable, or up and reachable.</summary>
    private static async Task WaitForSiteAsync(HttpClient client, bool down, double seconds, string what)
    {
        await LiveClusters.WaitUntilAsync(async () => await KzAsync(client) is var site && site.GetProperty("down").GetBoolean() == down
            && site.GetProperty("unreachable").GetBoolean() == down, seconds, what);
    }

    /// <summary>
    /// The kz GPUs Serai counts as its own (used minus held outside) are those of its jobs running there, checked until
    /// they agree (the loop publishes after each step); <paramref name="running"/> also fixes how many jobs run.
    /// </summary>
    private static async Task AssertGpusHeldOnlyByRunningJobsAsync(HttpClient client, int? running)
    {
        var said = "";
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            var gpus = (await KzAsync(client)).GetProperty("gpus")[0];
            var ours = gpus.GetProperty("used").GetInt32() - gpus.GetProperty("heldOutside").GetInt32();
            var page = JsonDocument.Parse(await client.GetStringAsync("/api/v1/jobs?site=kz&limit=1000")).RootElement.GetProperty("items");
            var holding = page.EnumerateArray().Where(j => State(j) is "admitted" or "starting" or "running" or "stopping").ToList();
            var held = holding.Sum(j => j.GetProperty("gpus").GetInt32());
            if (ours == held && (running is null || holding.Count == running))
            {
                return;
            }
            said = $"Serai holds {ours} kz GPUs ({gpus}); its jobs running there: {holding.Count} with {held} GPUs";
            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail($"GPUs held by jobs that do not run, or jobs running that should not, after 30 s: {said}");
            }
            await Task.Delay(250);
        }
    }
}
