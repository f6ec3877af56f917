using System.Text.Json;
using Serai.Slurm.Tests.Live;

namespace Serai.Slurm.Tests.Server;

/// <summary>Jobs through the real server onto the two real Slurm sites: residency, exit codes, logs read from Slurm's output file.</summary>
public sealed class SlurmServerTests
{
    private static string State(JsonElement job) => job.GetProperty("state").GetString()!;

    private static bool Ended(JsonElement job) => State(job) is "succeeded" or "failed" or "cancelled" or "timedOut" or "timed_out";

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
}
