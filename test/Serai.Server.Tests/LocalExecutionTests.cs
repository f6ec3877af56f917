using System.Net;
using System.Text.Json;

namespace Serai.Server.Tests;

/// <summary>Jobs really run as processes through the local backend: GPUs visible, logs readable, cancel kills the tree.</summary>
public sealed class LocalExecutionTests : IAsyncLifetime
{
    private readonly string _directory = TestDatabases.NewDirectory();
    private SeraiFactory _factory = null!;
    private HttpClient _alpha = null!;

    public async Task InitializeAsync()
    {
        _factory = await new SeraiFactory(TestDatabases.NewSqlite(_directory), _directory, scheduler: new FirstFitCycle()).StartAsync();
        _alpha = _factory.Client(SeraiFactory.AlphaToken);
    }

    public async Task DisposeAsync()
    {
        await _factory.DisposeAsync();
        TestDatabases.Remove(_directory);
    }

    private static object Shell(string script, int gpus = 1) => new { command = (string[])["sh", "-c", script], gpus };

    [Fact]
    public async Task A_job_runs_with_its_gpus_visible_and_its_logs_are_readable()
    {
        var id = await _alpha.SubmitIdAsync(Shell("echo gpus=$CUDA_VISIBLE_DEVICES job=$SERAI_JOB_ID; echo oops >&2", gpus: 2));
        var job = await _alpha.WaitForAsync(id, j => j.State() is "succeeded" or "failed");
        Assert.Equal("succeeded", job.State());
        Assert.Equal(0, job.GetProperty("exitCode").GetInt64());
        Assert.Equal($"gpus=0,1 job={id}\n", await _alpha.GetStringAsync($"/api/v1/jobs/{id}/logs"));
        var stderr = await _alpha.GetAsync($"/api/v1/jobs/{id}/logs?stream=stderr");
        Assert.Equal("oops\n", await stderr.Content.ReadAsStringAsync());
        Assert.Equal("5", stderr.Headers.GetValues("X-Next-Offset").Single());
        Assert.Equal("", await _alpha.GetStringAsync($"/api/v1/jobs/{id}/logs?stream=stderr&offset=5"));
        var audit = await (await _factory.Client(SeraiFactory.AdminToken).GetAsync($"/api/v1/audit?job={id}&kind=place")).JsonAsync();
        Assert.Contains("place job", Assert.Single(audit.GetProperty("items").EnumerateArray()).GetProperty("message").GetString(), StringComparison.Ordinal);
        var accounting = await (await _alpha.GetAsync("/api/v1/accounting")).JsonAsync();
        Assert.Equal("alpha", Assert.Single(accounting.GetProperty("tenants").EnumerateArray()).GetProperty("tenant").GetString());
    }

    [Fact]
    public async Task A_failing_command_is_failed_with_its_exit_code()
    {
        var id = await _alpha.SubmitIdAsync(Shell("exit 3"));
        var job = await _alpha.WaitForAsync(id, j => j.State() is "succeeded" or "failed");
        Assert.Equal("failed", job.State());
        Assert.Equal(3, job.GetProperty("exitCode").GetInt64());
        Assert.Contains("code 3", job.GetProperty("reason").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Cancel_stops_the_whole_process_tree()
    {
        var id = await _alpha.SubmitIdAsync(Shell("sleep 300 & sleep 300 & echo started; wait"));
        await _alpha.WaitForAsync(id, j => j.State() == "running");
        await WaitForOutputAsync(id, "started");
        var pgid = int.Parse(await File.ReadAllTextAsync(Path.Combine(_directory, "jobs", id.ToString(), "pid")));
        Assert.True(GroupAlive(pgid));
        var cancelled = await _alpha.PostAsync($"/api/v1/jobs/{id}/cancel", null);
        Assert.Equal(HttpStatusCode.OK, cancelled.StatusCode);
        Assert.Equal("cancelled", (await cancelled.JsonAsync()).State());
        await WaitUntilAsync(() => !GroupAlive(pgid));
        Assert.False(GroupAlive(pgid));
    }

    [Fact]
    public async Task A_job_waits_for_gpus_and_starts_when_they_are_freed()
    {
        var first = await _alpha.SubmitIdAsync(Shell("sleep 300", gpus: 4));
        var second = await _alpha.SubmitIdAsync(Shell("sleep 300", gpus: 4));
        var third = await _alpha.SubmitIdAsync(Shell("echo third", gpus: 4));
        await _alpha.WaitForAsync(second, j => j.State() == "running");
        var waiting = await _alpha.WaitForAsync(third, j => j.GetProperty("reason").ValueKind == JsonValueKind.String);
        Assert.Equal("pending", waiting.State());
        Assert.Contains("free GPUs", waiting.GetProperty("reason").GetString(), StringComparison.Ordinal);
        await _alpha.PostAsync($"/api/v1/jobs/{first}/cancel", null);
        Assert.Equal("succeeded", (await _alpha.WaitForAsync(third, j => j.State() == "succeeded")).State());
        await _alpha.PostAsync($"/api/v1/jobs/{second}/cancel", null);
    }

    private async Task WaitForOutputAsync(long id, string text) =>
        await WaitUntilAsync(async () => (await _alpha.GetStringAsync($"/api/v1/jobs/{id}/logs")).Contains(text, StringComparison.Ordinal));

    internal static bool GroupAlive(int pgid) => Directory.EnumerateDirectories("/proc")
        .Select(d => Path.GetFileName(d))
        .Where(n => n.All(char.IsDigit))
        .Any(pid =>
        {
            try
            {
                var stat = File.ReadAllText($"/proc/{pid}/stat");
                var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
                return fields[0] != "Z" && fields[2] == pgid.ToString();
            }
            catch (IOException)
            {
                return false;
            }
        });

    internal static Task WaitUntilAsync(Func<bool> condition, double seconds = 15, string? what = null) =>
        WaitUntilAsync(() => Task.FromResult(condition()), seconds, what);

    /// <summary>Polls until the condition holds; at the deadline the test fails, saying what it waited for.</summary>
    internal static async Task WaitUntilAsync(Func<Task<bool>> condition, double seconds = 15, string? what = null)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (!await condition())
        {
            if (DateTime.UtcNow >= deadline)
            {
                Assert.Fail($"{what ?? "the condition"} did not come true within {seconds} s");
            }
            await Task.Delay(50);
        }
    }
}
