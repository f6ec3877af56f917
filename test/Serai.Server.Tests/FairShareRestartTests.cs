using System.Diagnostics;
using System.Text.Json;

namespace Serai.Server.Tests;

/// <summary>Fair-share usage and accounting survive a restart and an AI-system registration (they used to reset to zero).</summary>
public sealed class FairShareRestartTests : IDisposable
{
    private readonly string _directory = TestDatabases.NewDirectory();

    public void Dispose() => TestDatabases.Remove(_directory);

    private SeraiFactory NewServer() => new(TestDatabases.NewSqlite(_directory), _directory, scheduler: new FirstFitCycle());

    private static object Shell(string script) => new { command = (string[])["sh", "-c", script], gpus = 1 };

    private static async Task<(double DecayedGpuHours, double GpuHours, double EnergyKwh, long Jobs)> ReadAsync(HttpClient alpha)
    {
        var tenant = await (await alpha.GetAsync("/api/v1/tenants/alpha")).JsonAsync();
        var accounting = await (await alpha.GetAsync("/api/v1/accounting")).JsonAsync();
        var account = accounting.GetProperty("tenants").EnumerateArray().Single(t => t.GetProperty("tenant").GetString() == "alpha");
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
        (double, double, double, long) before;
        long running;
        var clock = Stopwatch.StartNew();
        await using (var first = await NewServer().StartAsync())
        {
            var alpha = first.Client(SeraiFactory.AlphaToken);
            var done = await alpha.SubmitIdAsync(Shell("sleep 2"));
            running = await alpha.SubmitIdAsync(Shell("sleep 300"));
            Assert.Equal("succeeded", (await alpha.WaitForAsync(done, j => j.State() == "succeeded", 30)).State());
            await alpha.WaitForAsync(running, j => j.State() == "running");
            before = await ReadAsync(alpha);
            clock.Restart();
        }
        await using var second = await NewServer().StartAsync();
        var client = second.Client(SeraiFactory.AlphaToken);
        Assert.Equal("running", (await client.GetJobAsync(running)).State());
        var restarted = await ReadAsync(client);
        AssertKept(before, restarted, clock.Elapsed.TotalSeconds, "a restart");

        clock.Restart();
        var registered = await client.PostAsync("/api/v1/ai-systems", Http.Json(JsonSerializer.Serialize(new { id = "alpha-model", risk = "minimal" })));
        Assert.Equal(System.Net.HttpStatusCode.Created, registered.StatusCode);
        await Task.Delay(300); // the loop takes the new registry in its next step
        var afterRegistration = await ReadAsync(client);
        AssertKept(restarted, afterRegistration, clock.Elapsed.TotalSeconds, "an AI-system registration");
        await client.PostAsync($"/api/v1/jobs/{running}/cancel", null);
    }
}
