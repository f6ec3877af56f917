using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;
using Serai.Core.Jobs;
using Serai.Runtime.Journal;
using Serai.Runtime.Lifecycle;
using Serai.Server.Jobs;
using Serai.Server.Notifications;

namespace Serai.Server.Tests;

/// <summary>A job's <c>notify</c> webhook: validated at submit (SSRF), posted on each state change from a queue that never stalls the server.</summary>
public sealed class JobNotifyTests : IAsyncLifetime
{
    private readonly string _directory = TestDatabases.NewDirectory();
    private readonly HttpListener _receiver = new();
    private readonly ConcurrentQueue<JsonElement> _received = new();
    private SeraiFactory _factory = null!;
    private HttpClient _alpha = null!;
    private int _port;

    public async Task InitializeAsync()
    {
        _port = FreePort();
        _receiver.Prefixes.Add($"http://127.0.0.1:{_port}/");
        _receiver.Prefixes.Add($"http://localhost:{_port}/"); // HttpListener matches the Host header too
        _receiver.Start();
        _ = ReceiveAsync();
        var settings = new Dictionary<string, string> { ["Serai:NotifyAllowedHosts"] = "127.0.0.1" };
        _factory = await new SeraiFactory(TestDatabases.NewSqlite(_directory), _directory, scheduler: new FirstFitCycle(), settings: settings).StartAsync();
        _alpha = _factory.Client(SeraiFactory.AlphaToken);
    }

    public async Task DisposeAsync()
    {
        _receiver.Close();
        await _factory.DisposeAsync();
        TestDatabases.Remove(_directory);
    }

    private async Task ReceiveAsync()
    {
        while (_receiver.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _receiver.GetContextAsync();
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException)
            {
                return;
            }
            using (var reader = new StreamReader(context.Request.InputStream))
            {
                _received.Enqueue(JsonDocument.Parse(await reader.ReadToEndAsync()).RootElement.Clone());
            }
            context.Response.StatusCode = 204;
            context.Response.Close();
        }
    }

    private static int FreePort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    private static object Job(string notify) => new { command = (string[])["true"], gpus = 1, name = "hooked", notify };

    [Fact]
    public async Task A_job_that_runs_and_ends_posts_its_start_and_its_end_to_the_webhook()
    {
        var url = $"http://127.0.0.1:{_port}/hook?k=1";
        var id = await _alpha.SubmitIdAsync(Job(url));
        Assert.Equal(url, (await _alpha.GetJobAsync(id)).GetProperty("notify").GetString());
        await _alpha.WaitForAsync(id, j => j.State() is "succeeded" or "failed");
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (!_received.Any(n => n.GetProperty("state").GetString() == "succeeded") && DateTime.UtcNow < deadline)
        {
            await Task.Delay(100);
        }
        var posts = _received.Where(n => n.GetProperty("jobId").GetInt64() == id).ToList();
        Assert.Contains(posts, n => n.GetProperty("state").GetString() == "running");
        var end = Assert.Single(posts, n => n.GetProperty("state").GetString() == "succeeded");
        // in the order they happened: one job's notifications go through one queue
        Assert.True(posts.FindIndex(n => n.GetProperty("state").GetString() == "running") < posts.IndexOf(end), "running is posted before succeeded");
        Assert.Equal("hooked", end.GetProperty("name").GetString());
        Assert.Equal("alpha", end.GetProperty("tenant").GetString());
        Assert.False(string.IsNullOrEmpty(end.GetProperty("reason").GetString()));
        Assert.True(end.TryGetProperty("at", out _));
        Assert.Equal(["at", "jobId", "name", "reason", "state", "tenant"], end.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal));
    }

    [Theory]
    [InlineData("http://127.0.0.2/hook")]
    [InlineData("http://localhost:8080/hook")]
    [InlineData("http://10.1.2.3/hook")]
    [InlineData("http://172.20.0.1/hook")]
    [InlineData("http://192.168.1.1/hook")]
    [InlineData("http://169.254.169.254/latest/meta-data")]
    [InlineData("http://[::1]/hook")]
    [InlineData("http://[fe80::1]/hook")]
    [InlineData("http://[fd00::1]/hook")]
    [InlineData("http://0.0.0.0/hook")]
    [InlineData("ftp://hooks.example.org/hook")]
    [InlineData("/relative/hook")]
    [InlineData("hooks.example.org/hook")]
    [InlineData("https://user:secret@hooks.example.org/hook")]
    public async Task A_private_loopback_or_malformed_url_is_refused_naming_notify(string url)
    {
        var response = await _alpha.SubmitAsync(Job(url));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.JsonAsync();
        Assert.True(problem.GetProperty("errors").TryGetProperty("notify", out _), problem.ToString());
    }

    [Fact]
    public async Task A_url_longer_than_2048_characters_is_refused()
    {
        var response = await _alpha.SubmitAsync(Job("https://hooks.example.org/" + new string('a', 2048)));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True((await response.JsonAsync()).GetProperty("errors").TryGetProperty("notify", out _));
    }

    [Fact]
    public async Task A_public_url_is_accepted_and_array_tasks_carry_it()
    {
        var response = await _alpha.SubmitAsync(new { command = (string[])["true"], gpus = 1, array = "0-1", hold = true, notify = "https://hooks.example.org/serai" });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var id = (await response.JsonAsync()).GetProperty("id").GetInt64();
        Assert.Equal("https://hooks.example.org/serai", (await _alpha.GetJobAsync(id + 1)).GetProperty("notify").GetString());
    }

    [Fact]
    public async Task A_receiver_that_is_down_does_not_stall_the_server()
    {
        var id = await _alpha.SubmitIdAsync(Job($"http://127.0.0.1:{FreePort()}/down"));
        var started = DateTime.UtcNow;
        var job = await _alpha.WaitForAsync(id, j => j.State() is "succeeded" or "failed");
        Assert.Equal("succeeded", job.State());
        var other = await _alpha.SubmitIdAsync(new { command = (string[])["true"], gpus = 1 });
        Assert.Equal("succeeded", (await _alpha.WaitForAsync(other, j => j.State() is "succeeded" or "failed")).State());
        Assert.True(DateTime.UtcNow - started < TimeSpan.FromSeconds(15), "the server waited on the webhook");
    }

    [Fact]
    public async Task A_name_that_resolves_to_loopback_is_refused_at_delivery_unless_allowed()
    {
        var move = new JobTransition(new JobId(77), 1, JobPhase.Running, JobPhase.Succeeded, 1_800_000_000, "end", "Completed", "exit code 0");
        var request = new JobRequest("alpha", "n", 1, 0, null, "normal", [], null, [], null, 0, null, false, false, 0.8, ["true"],
            Notify: $"http://localhost:{_port}/rebound");
        using var refused = new JobNotifier(new NotifyPolicy(null), NullLogger<JobNotifier>.Instance);
        await refused.StartAsync(CancellationToken.None);
        refused.Enqueue(move, request);
        using var allowed = new JobNotifier(new NotifyPolicy("localhost"), NullLogger<JobNotifier>.Instance);
        await allowed.StartAsync(CancellationToken.None);
        allowed.Enqueue(move with { Job = new JobId(78) }, request);
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (!_received.Any(n => n.GetProperty("jobId").GetInt64() == 78) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(100);
        }
        await Task.Delay(500);
        Assert.Contains(_received, n => n.GetProperty("jobId").GetInt64() == 78);
        Assert.DoesNotContain(_received, n => n.GetProperty("jobId").GetInt64() == 77);
        await refused.StopAsync(CancellationToken.None);
        await allowed.StopAsync(CancellationToken.None);
    }

    [Fact]
    public void Without_an_allow_list_loopback_is_refused_and_with_it_allowed()
    {
        Assert.NotNull(new NotifyPolicy(null).Refuse("http://127.0.0.1:9000/hook"));
        Assert.Null(new NotifyPolicy("127.0.0.1").Refuse("http://127.0.0.1:9000/hook"));
        Assert.Null(new NotifyPolicy(null).Refuse("https://hooks.example.org/serai"));
        Assert.True(NotifyPolicy.Forbidden(IPAddress.Parse("::ffff:10.0.0.1")));
        Assert.False(NotifyPolicy.Forbidden(IPAddress.Parse("93.184.216.34")));
    }
}
