using System.Text.Json;
using Serai.Slurm.Tests.Live;

using static Serai.Slurm.Tests.Server.SlurmServer;

namespace Serai.Slurm.Tests.Server;

/// <summary>
/// The look-ahead on the real kz cluster (8 GPUs, look-ahead 8 by default): jobs handed to Slurm ahead of GPUs freeing
/// wait there PENDING, are pending in Serai with a reason naming the site, start when GPUs free, and a restart finds each
/// of them exactly once. Other work may share the cluster, so only Serai's own jobs are counted.
/// </summary>
[Collection(SerialSlurm.Name)]
public sealed class LookAheadServerTests
{
    private static string? Reason(JsonElement job) => job.TryGetProperty("reason", out var r) && r.ValueKind == JsonValueKind.String ? r.GetString() : null;

    /// <summary>
    /// Every Slurm job named serai-ID-ATTEMPT for these ids submitted since <paramref name="since"/> (a fresh database counts
    /// ids from 1 again, so older tests' jobs of the same names may still be listed).
    /// </summary>
    private static async Task<List<(long Id, string Name, string State)>> SlurmJobsAsync(IReadOnlyCollection<long> ids, DateTime since)
    {
        var answer = await LiveClusters.Slurm("kz", "squeue", "-h", "-t", "all", "-o", "%j|%T|%V");
        return [.. answer.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Split('|'))
            .Where(f => f.Length == 3 && f[0].StartsWith("serai-", StringComparison.Ordinal)
                && DateTime.TryParse(f[2], System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AssumeLocal, out var submitted)
                && submitted >= since.AddSeconds(-1))
            .Select(f => (Id: long.Parse(f[0].Split('-')[1], System.Globalization.CultureInfo.InvariantCulture), Name: f[0], State: f[1]))
            .Where(j => ids.Contains(j.Id))];
    }

    [Fact]
    public async Task Jobs_queued_ahead_wait_in_slurm_as_pending_in_serai_and_each_runs_once()
    {
        if (!LiveClusters.Available())
        {
            return;
        }
        var since = DateTime.Now;
        using var server = await new SlurmServer().StartAsync();
        var kzGov = server.Client(SlurmServer.KzGovToken);
        var ids = new List<long>();
        for (var i = 0; i < 14; i++)
        {
            ids.Add(await SlurmServer.SubmitAsync(kzGov, new { command = (string[])["sh", "-c", "sleep 6"], gpus = 1, time = "5" }));
        }
        var sawAhead = false;
        var deadline = DateTime.UtcNow.AddSeconds(120);
        while (DateTime.UtcNow < deadline)
        {
            var jobs = new List<JsonElement>();
            foreach (var id in ids)
            {
                jobs.Add(JsonDocument.Parse(await kzGov.GetStringAsync($"/api/v1/jobs/{id}")).RootElement);
            }
            if (jobs.All(Ended))
            {
                break;
            }
            Assert.True(jobs.Count(j => State(j) == "running") <= 8, "more of Serai's jobs running than kz has GPUs");
            foreach (var job in jobs.Where(j => State(j) == "pending" && Reason(j)?.StartsWith("queued at site kz", StringComparison.Ordinal) == true))
            {
                sawAhead = true;
                Assert.False(job.TryGetProperty("startedUnix", out var started) && started.ValueKind == JsonValueKind.Number, $"queued-ahead job {job} has a start");
            }
            await Task.Delay(300);
        }
        Assert.True(sawAhead, "no job was seen queued ahead at site kz");
        foreach (var id in ids)
        {
            var job = await SlurmServer.WaitForAsync(kzGov, id, Ended, 60);
            Assert.True(State(job) == "succeeded", $"{job} timeline: {await kzGov.GetStringAsync($"/api/v1/audit?job={id}")}");
        }
        // never two Slurm jobs for one Serai job
        var slurmJobs = await SlurmJobsAsync(ids, since);
        Assert.All(ids, id => Assert.Single(slurmJobs, j => j.Id == id && j.State == "COMPLETED"));
    }

    [Fact]
    public async Task A_restart_finds_every_job_queued_ahead_in_slurm_exactly_once()
    {
        if (!LiveClusters.Available())
        {
            return;
        }
        var since = DateTime.Now;
        var ids = new List<long>();
        string directory;
        var ahead = new List<long>();
        using (var before = await new SlurmServer { KeepFiles = true }.StartAsync())
        {
            directory = before.Directory;
            var kzGov = before.Client(SlurmServer.KzGovToken);
            for (var i = 0; i < 12; i++)
            {
                ids.Add(await SlurmServer.SubmitAsync(kzGov, new { command = (string[])["sh", "-c", "sleep 12"], gpus = 1, time = "5" }));
            }
            await LiveClusters.WaitUntilAsync(async () =>
            {
                ahead.Clear();
                foreach (var id in ids)
                {
                    var job = JsonDocument.Parse(await kzGov.GetStringAsync($"/api/v1/jobs/{id}")).RootElement;
                    if (State(job) == "pending" && Reason(job)?.StartsWith("queued at site kz", StringComparison.Ordinal) == true)
                    {
                        ahead.Add(id);
                    }
                }
                return ahead.Count > 0;
            }, 30, "a job queued ahead at site kz");
        } // "Serai restarts" while jobs wait queued ahead in Slurm
        using var after = await new SlurmServer(directory).StartAsync(createTokens: false);
        var client = after.Client(SlurmServer.AdminToken);
        foreach (var id in ids)
        {
            Assert.Equal("succeeded", State(await SlurmServer.WaitForAsync(client, id, Ended, 90)));
        }
        var slurmJobs = await SlurmJobsAsync(ids, since);
        // each job ran as one Slurm job; a queued-ahead one was found again, never submitted a second time
        var seen = string.Join("; ", slurmJobs.Select(j => $"{j.Name} {j.State}"));
        Assert.All(ids, id => Assert.True(slurmJobs.Count(j => j.Id == id) == 1, $"job {id} (queued ahead: {ahead.Contains(id)}): {seen}"));
        Assert.All(ahead, id => Assert.Equal("COMPLETED", slurmJobs.Single(j => j.Id == id).State));
    }
}
