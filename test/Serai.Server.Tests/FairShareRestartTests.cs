using System.Diagnostics;
using System.Text.Json;

namespace Serai.Server.Tests;

/// <summary>
/// Fair-share usage and accounting survive a restart and an AI-system registration (they used to reset to zero; issue 9,
/// defect 7: any tenant could reset every tenant's history by registering a system).
/// </summary>
public sealed class FairShareRestartTests : IDisposable
{
    private readonly string _directory = TestDatabases.NewDirectory();

    public void Dispose() => TestDatabases.Remove(_directory);

    private SeraiFactory NewServer() => new(TestDatabases.NewSqlite(_directory), _directory, scheduler: new FirstFitCycle());

    private static object Shell(string script) => new { command = (string[])["sh", "-c", script], gpus = 1 };

    private static async Task<(double DecayedGpuHours, double GpuHours, double EnergyKwh, long Jobs)> ReadAsync(HttpClient client, string name)
    {
        var tenant = await (await client.GetAsync($"/api/v1/tenants/{name}")).JsonAsync();
        var accounting = await (await client.GetAsync("/api/v1/accounting")).JsonAsync();
        var account = accounting.GetProperty("tenants").EnumerateArray().Single(t => t.GetProperty("tenant").GetString() == name);
        return (tenant.GetProperty("decayedGpuHours").GetDouble(), account.GetProperty("gpuHours").GetDouble(),
            account.GetProperty("energyKwh").GetDouble(), account.GetProperty("jobs").GetInt64());
    }

    /// <summary>Usage may only have grown by what the one running GPU added meanwhile.</summary>
    private static void AssertKept((double Decayed, double GpuHours, double Kwh, long Jobs) before, (double Decayed, double GpuHours, double Kwh, long Jobs) after, double elapsedSeconds, string when)
    {
        var most = (elapsedSeconds + 2) / 3600.0;
        Assert.True(before.Decayed > 0 && before.GpuHours > 0, $"no usage before {when}");
        Assert.True(after.Decayed >= before.Decayed * 0.999 && after.Decayed <= before.Decayed + most,
            $"fair-share usage {before.Decayed:F6} GPU-h became {after.Decayed:F6} GPU-h after {when}");
        Assert.True(after.GpuHours >= before.GpuHours - 1e-9 && after.GpuHours <= before.GpuHours + most,
            $"accounted {before.GpuHours:F6} GPU-h became {after.GpuHours:F6} GPU-h after {when}");
        Assert.True(after.Kwh >= before.Kwh - 1e-9, $"accounted energy {before.Kwh} kWh became {after.Kwh} kWh after {when}");
        Assert.Equal(before.Jobs, after.Jobs);
    }

    [Fact]
    public async Task Fair_share_usage_and_accounting_are_the_same_after_a_restart_and_after_an_ai_system_registration()
    {
        (double, double, double, long) before, betaBefore;
        long running;
        var clock = Stopwatch.StartNew();
        await using (var first = await NewServer().StartAsync())
        {
            var alpha = first.Client(SeraiFactory.AlphaToken);
            var beta = first.Client(SeraiFactory.BetaToken);
            var done = await alpha.SubmitIdAsync(Shell("sleep 2"));
            var betaDone = await beta.SubmitIdAsync(Shell("sleep 2"));
            running = await alpha.SubmitIdAsync(Shell("sleep 300"));
            Assert.Equal("succeeded", (await alpha.WaitForAsync(done, j => j.State() == "succeeded", 30)).State());
            Assert.Equal("succeeded", (await beta.WaitForAsync(betaDone, j => j.State() == "succeeded", 30)).State());
            await alpha.WaitForAsync(running, j => j.State() == "running");
            before = await ReadAsync(alpha, "alpha");
            betaBefore = await ReadAsync(beta, "beta");
            clock.Restart();
        }
        await using var second = await NewServer().StartAsync();
        var client = second.Client(SeraiFactory.AlphaToken);
        var betaClient = second.Client(SeraiFactory.BetaToken);
        Assert.Equal("running", (await client.GetJobAsync(running)).State());
        var restarted = await ReadAsync(client, "alpha");
        var betaRestarted = await ReadAsync(betaClient, "beta");
        AssertKept(before, restarted, clock.Elapsed.TotalSeconds, "a restart");
        AssertKept(betaBefore, betaRestarted, clock.Elapsed.TotalSeconds, "a restart");

        // another tenant registers a system: neither its history nor alpha's may change
        clock.Restart();
        var registered = await betaClient.PostAsync("/api/v1/ai-systems", Http.Json(JsonSerializer.Serialize(new { id = "beta-model", risk = "minimal" })));
        Assert.Equal(System.Net.HttpStatusCode.Created, registered.StatusCode);
        // the list is the registry the control loop put in force: once it names the system, the loop has applied it
        await LocalExecutionTests.WaitUntilAsync(async () => (await betaClient.GetStringAsync("/api/v1/ai-systems")).Contains("beta-model", StringComparison.Ordinal),
            10, "the control loop applying the registration");
        var afterRegistration = await ReadAsync(client, "alpha");
        var betaAfterRegistration = await ReadAsync(betaClient, "beta");
        AssertKept(restarted, afterRegistration, clock.Elapsed.TotalSeconds, "another tenant's AI-system registration");
        AssertKept(betaRestarted, betaAfterRegistration, 0, "its own AI-system registration");
        await client.PostAsync($"/api/v1/jobs/{running}/cancel", null);
    }
}
