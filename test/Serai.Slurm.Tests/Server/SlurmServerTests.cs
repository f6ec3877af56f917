using System.Text.Json;
using Serai.Slurm.Tests.Live;

using static Serai.Slurm.Tests.Server.SlurmServer;

namespace Serai.Slurm.Tests.Server;

/// <summary>Jobs through the real server onto the two real Slurm sites: residency, exit codes, logs read from Slurm's output file.</summary>
[Collection(SerialSlurm.Name)]
public sealed class SlurmServerTests
{
    [Fact]
    public async Task A_residency_bound_job_runs_only_at_its_countrys_site_and_reports_its_exit_code_and_output()
    {
        if (!LiveClusters.Available())
        {
            return;
        }
        using var server = await new SlurmServer().StartAsync();
        var kzGov = server.Client(SlurmServer.KzGovToken);
        var ids = new List<long>();
        for (var i = 0; i < 3; i++)
        {
            ids.Add(await SlurmServer.SubmitAsync(kzGov, new { command = (string[])["sh", "-c", $"echo site=$SERAI_SITE n={i}; exit {i}"], gpus = 1, time = "5" }));
        }
        foreach (var (id, i) in ids.Select((id, i) => (id, i)))
        {
            var job = await SlurmServer.WaitForAsync(kzGov, id, Ended);
            Assert.Equal("kz", job.GetProperty("site").GetString());
            Assert.Equal(i == 0 ? "succeeded" : "failed", State(job));
            Assert.Equal(i, job.GetProperty("exitCode").GetInt64());
            Assert.Contains($"site=kz n={i}", await kzGov.GetStringAsync($"/api/v1/jobs/{id}/logs"), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task A_job_cancelled_through_the_server_is_cancelled_in_slurm()
    {
        if (!LiveClusters.Available())
        {
            return;
        }
        using var server = await new SlurmServer().StartAsync();
        var anyone = server.Client(SlurmServer.AnyoneToken);
        var id = await SlurmServer.SubmitAsync(anyone, new { command = (string[])["sh", "-c", "echo started; sleep 300"], gpus = 1 });
        await LiveClusters.WaitUntilAsync(async () => (await anyone.GetStringAsync($"/api/v1/jobs/{id}/logs")).Contains("started", StringComparison.Ordinal), 30, "the job starting in Slurm");
        var cancel = await anyone.PostAsync($"/api/v1/jobs/{id}/cancel", null);
        Assert.True(cancel.IsSuccessStatusCode, await cancel.Content.ReadAsStringAsync());
        var job = await SlurmServer.WaitForAsync(anyone, id, Ended);
        Assert.Equal("cancelled", State(job));
        var site = job.GetProperty("site").GetString()!;
        var queue = await LiveClusters.Slurm(site, "squeue", "-h", "-t", "all", "-n", $"serai-{id}-1", "-o", "%T");
        Assert.Contains("CANCELLED", queue.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_node_set_down_under_a_job_ends_that_attempt_and_the_job_runs_again_on_another_node()
    {
        if (!LiveClusters.Available())
        {
            return;
        }
        using var server = await new SlurmServer().StartAsync();
        var kzGov = server.Client(SlurmServer.KzGovToken);
        var id = await SlurmServer.SubmitAsync(kzGov, new { command = (string[])["sh", "-c", "echo started on $SLURMD_NODENAME; sleep 300"], gpus = 1 });
        await LiveClusters.WaitUntilAsync(async () => (await kzGov.GetStringAsync($"/api/v1/jobs/{id}/logs")).Contains("started", StringComparison.Ordinal), 30, "the first attempt starting");
        var node = "";
        try
        {
            node = (await LiveClusters.Slurm("kz", "squeue", "-h", "-n", $"serai-{id}-1", "-t", "running", "-o", "%N")).Stdout.Trim().Split('\n')[^1];
            Assert.StartsWith("kz-n", node, StringComparison.Ordinal);
            Assert.True((await LiveClusters.Slurm("kz", "scontrol", "update", $"nodename={node}", "state=down", "reason=serai-test")).Ok);
            try
            {
                await LiveClusters.WaitUntilAsync(async () => (await kzGov.GetStringAsync($"/api/v1/jobs/{id}/logs")).Contains($"job {id} attempt 2 started", StringComparison.Ordinal), 40, "a second attempt starting");
            }
            catch (Xunit.Sdk.FailException)
            {
                var queue = await LiveClusters.Slurm("kz", "squeue", "-h", "-t", "all", "-o", "%i %j %T %r %N");
                var nodes = await LiveClusters.Slurm("kz", "sinfo", "-N", "-h", "-o", "%N %t %E");
                Assert.Fail($"no second attempt; job: {await kzGov.GetStringAsync($"/api/v1/jobs/{id}")}; squeue: {queue.Stdout}; sinfo: {nodes.Stdout}");
            }
            var log = await kzGov.GetStringAsync($"/api/v1/jobs/{id}/logs");
            Assert.Contains($"started on {node}", log, StringComparison.Ordinal);
            Assert.DoesNotContain($"started on {node}", log[log.IndexOf($"attempt 2 started", StringComparison.Ordinal)..], StringComparison.Ordinal);
            var job = await SlurmServer.WaitForAsync(kzGov, id, j => State(j) == "running");
            Assert.Equal("kz", job.GetProperty("site").GetString());
        }
        finally
        {
            await kzGov.PostAsync($"/api/v1/jobs/{id}/cancel", null);
            await SlurmServer.WaitForAsync(kzGov, id, Ended);
            if (node.Length > 0)
            {
                await LiveClusters.ResumeAsync("kz", node);
            }
        }
    }

    private static JsonElement KzGpus(string sites) =>
        JsonDocument.Parse(sites).RootElement.EnumerateArray().First(s => s.GetProperty("name").GetString() == "kz").GetProperty("gpus")[0];

    [Fact]
    public async Task Work_submitted_to_slurm_directly_keeps_serai_from_placing_there_until_it_ends()
    {
        if (!LiveClusters.Available())
        {
            return;
        }
        using var server = await new SlurmServer().StartAsync();
        var kzGov = server.Client(SlurmServer.KzGovToken);
        // every GPU of the kz cluster, taken by a job Serai does not know
        var direct = await LiveClusters.Slurm("kz", "sbatch", "--parsable", "--job-name=not-serai", "--gres=gpu:h100:4", "--nodes=2",
            "--nodelist=kz-n1,kz-n2", "--output=/dev/null", "--wrap", "sleep 300");
        Assert.True(direct.Ok, direct.Problem);
        long id;
        try
        {
            await LiveClusters.WaitUntilAsync(async () => KzGpus(await kzGov.GetStringAsync("/api/v1/sites")).GetProperty("free").GetInt32() == 0, 30,
                "Serai seeing every kz GPU taken");
            Assert.Equal(8, KzGpus(await kzGov.GetStringAsync("/api/v1/sites")).GetProperty("heldOutside").GetInt32());
            // kz-gov may run only in Kazakhstan: its job waits in Serai's queue, not in Slurm's
            id = await SlurmServer.SubmitAsync(kzGov, new { command = (string[])["sh", "-c", "echo started"], gpus = 1, time = "5" });
            var waiting = await SlurmServer.WaitForAsync(kzGov, id, j => j.TryGetProperty("reason", out var r) && r.GetString() is { } text
                && text.Contains("free GPUs", StringComparison.Ordinal), 20);
            Assert.Equal("pending", State(waiting));
            Assert.Equal("", (await LiveClusters.Slurm("kz", "squeue", "-h", "-n", $"serai-{id}-1", "-o", "%i")).Stdout.Trim());
        }
        finally
        {
            await LiveClusters.Slurm("kz", "scancel", direct.Stdout.Trim());
        }
        var done = await SlurmServer.WaitForAsync(kzGov, id, Ended, 60);
        Assert.Equal("succeeded", State(done));
        Assert.Equal("kz", done.GetProperty("site").GetString());
    }

    [Fact]
    public async Task The_jobs_timeline_shows_the_gpus_slurm_gave_and_the_time_limit_it_rounded()
    {
        if (!LiveClusters.Available())
        {
            return;
        }
        using var server = await new SlurmServer().StartAsync();
        var kzGov = server.Client(SlurmServer.KzGovToken);
        var id = await SlurmServer.SubmitAsync(kzGov, new { command = (string[])["sh", "-c", "echo gpus=$CUDA_VISIBLE_DEVICES; sleep 4"], gpus = 2, timeLimitSeconds = 90 });
        var job = await SlurmServer.WaitForAsync(kzGov, id, Ended, 60);
        Assert.Equal("succeeded", State(job));
        var notes = new List<string>();
        await LiveClusters.WaitUntilAsync(async () =>
        {
            var audit = JsonDocument.Parse(await kzGov.GetStringAsync($"/api/v1/audit?job={id}&kind=site")).RootElement;
            notes = [.. audit.GetProperty("items").EnumerateArray().Select(a => a.GetProperty("message").GetString()!)];
            return notes.Count >= 2;
        }, 20, "two site notes in the job's timeline");
        Assert.Contains(notes, n => n.Contains("time limit 90 s asked, 2 min (120 s) given", StringComparison.Ordinal));
        Assert.Contains(notes, n => System.Text.RegularExpressions.Regex.IsMatch(n, @"got kz-n\d: gpu:h100:2\(IDX:\d[-,]\d\)"));
    }
}
