using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Serai.Server.Auth;
using Serai.Server.Control;
using Serai.Slurm.Tests.Live;

namespace Serai.Slurm.Tests.Server;

/// <summary>The real server in memory on a SQLite file, with the two-site Slurm hub: both sites run on the real kz and uz clusters.</summary>
public sealed class SlurmServer(string? directory = null) : WebApplicationFactory<Program>
{
    public const string AdminToken = "serai_slurm_admin";
    public const string KzGovToken = "serai_slurm_kzgov";
    public const string AnyoneToken = "serai_slurm_anyone";

    public string Directory { get; } = directory ?? Path.Combine(Path.GetTempPath(), "serai-slurm-server-" + Guid.NewGuid().ToString("N")[..8]);

    /// <summary>Keep the database and output folders at dispose (a restart test starts a second server on them).</summary>
    public bool KeepFiles { get; set; }

    /// <summary>A slurm.conf of the test's own for site kz (a test that cuts the server off from kz rewrites it); null: the cluster's.</summary>
    public string? KzSlurmConf { get; init; }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        System.IO.Directory.CreateDirectory(Directory);
        builder.UseSetting("Serai:Database", "sqlite:" + Path.Combine(Directory, "serai.db"));
        builder.UseSetting("Serai:DataDirectory", Directory);
        builder.UseSetting("Serai:Backend", "none");
        builder.UseSetting("Serai:Hub", HubFile());
        builder.UseSetting("Serai:BootstrapAdminToken", AdminToken);
        builder.UseSetting("Serai:CreateTenantTokens", "false");
        builder.UseSetting("Serai:TickSeconds", "0.5");
    }

    /// <summary>
    /// The two-site hub with output folders of this server's own: a fresh database counts job ids from 1 again, and
    /// Slurm output files are named by job id.
    /// </summary>
    private string HubFile()
    {
        var run = Path.GetFileName(Directory);
        var text = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Data", "two-slurm-sites.yaml"))
            .Replace("/kz/out", "/kz/out/" + run, StringComparison.Ordinal)
            .Replace("/uz/out", "/uz/out/" + run, StringComparison.Ordinal);
        if (KzSlurmConf is { } conf)
        {
            Assert.Contains("slurmConf: /var/lib/serai-slurm/kz/slurm.conf", text, StringComparison.Ordinal);
            text = text.Replace("slurmConf: /var/lib/serai-slurm/kz/slurm.conf", "slurmConf: " + conf, StringComparison.Ordinal);
        }
        foreach (var cluster in (string[])["kz", "uz"])
        {
            System.IO.Directory.CreateDirectory(Path.Combine(LiveClusters.Root, cluster, "out", run));
        }
        var path = Path.Combine(Directory, "hub.yaml");
        File.WriteAllText(path, text);
        return path;
    }

    /// <summary>Starts the server; <paramref name="createTokens"/> false on a database that has them (a restart).</summary>
    public async Task<SlurmServer> StartAsync(bool createTokens = true)
    {
        _ = Server;
        await Services.GetRequiredService<ControlLoop>().Ready.WaitAsync(TimeSpan.FromSeconds(30));
        if (!createTokens)
        {
            return this;
        }
        var tokens = Services.GetRequiredService<TokenStore>();
        await tokens.CreateAsync("kz-gov", false, "test", KzGovToken);
        await tokens.CreateAsync("anyone", false, "test", AnyoneToken);
        return this;
    }

    public HttpClient Client(string token)
    {
        var client = CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    /// <summary>A job view's state word.</summary>
    public static string State(JsonElement job) => job.GetProperty("state").GetString()!;

    /// <summary>Whether a job view says the job ended.</summary>
    public static bool Ended(JsonElement job) => State(job) is "succeeded" or "failed" or "cancelled" or "timedOut" or "timed_out";

    public static async Task<long> SubmitAsync(HttpClient client, object body)
    {
        var response = await client.PostAsJsonAsync("/api/v1/jobs", body);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, text);
        return JsonDocument.Parse(text).RootElement.GetProperty("id").GetInt64();
    }

    public static async Task<JsonElement> WaitForAsync(HttpClient client, long id, Func<JsonElement, bool> done, double seconds = 40)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (true)
        {
            var job = JsonDocument.Parse(await client.GetStringAsync($"/api/v1/jobs/{id}")).RootElement;
            if (done(job))
            {
                return job;
            }
            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail($"job {id} did not get there within {seconds} s: {job}");
            }
            await Task.Delay(250);
        }
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (KeepFiles)
        {
            return;
        }
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
            // a file still open at shutdown; the temp folder is cleaned later
        }
        foreach (var cluster in (string[])["kz", "uz"])
        {
            try
            {
                System.IO.Directory.Delete(Path.Combine(LiveClusters.Root, cluster, "out", Path.GetFileName(Directory)), recursive: true);
            }
            catch (IOException)
            {
                // Slurm may still be writing a cancelled job's last lines
            }
        }
    }
}
