using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Serai.Server.Control;
using Serai.Server.Tests.Security;

namespace Serai.Server.Tests.Faults;

/// <summary>
/// SQLite serves one server: `serai serve` refuses to start on a file another server uses; hosted otherwise, a second
/// server is told so, at error level and in its /healthz.
/// </summary>
public sealed class SqliteSecondServerTests : IDisposable
{
    private readonly string _directory = TestDatabases.NewDirectory();

    public void Dispose() => TestDatabases.Remove(_directory);

    [Fact]
    public async Task Serai_serve_refuses_to_start_on_a_SQLite_file_another_server_uses()
    {
        using var first = await ServeProcess.StartAsync(_directory, ServeProcess.FreePort());
        var refused = await Assert.ThrowsAsync<InvalidOperationException>(() => ServeProcess.StartAsync(_directory, ServeProcess.FreePort()));
        Assert.Contains("error: another serai serve already uses sqlite:", refused.Message, StringComparison.Ordinal);
        using var http = first.Client();
        Assert.Equal(System.Net.HttpStatusCode.OK, (await http.GetAsync("/api/v1/jobs")).StatusCode);
    }

    [Fact]
    public async Task A_second_server_on_one_SQLite_file_hosted_in_process_says_so_at_error_level_and_in_its_health()
    {
        await using var first = await new SeraiFactory(TestDatabases.NewSqlite(_directory), _directory, backend: "none").StartAsync();
        var logs = new LogSink();
        await using var second = new SeraiFactory(TestDatabases.NewSqlite(_directory), _directory, backend: "none")
            .WithWebHostBuilder(b => b.ConfigureServices(s => s.AddLogging(l => l.AddProvider(logs))));
        await second.Services.GetRequiredService<ControlLoop>().Ready.WaitAsync(TimeSpan.FromSeconds(30));

        var health = await (await second.CreateClient().GetAsync("/healthz")).JsonAsync();
        Assert.Contains("another serai serve already uses sqlite:", health.GetProperty("warning").GetString(), StringComparison.Ordinal);
        Assert.Contains(logs.Entries, e => e.Level == LogLevel.Error && e.Message.Contains("SQLite serves one server", StringComparison.Ordinal));
        var alone = await (await first.CreateClient().GetAsync("/healthz")).JsonAsync();
        Assert.Equal(System.Text.Json.JsonValueKind.Null, alone.GetProperty("warning").ValueKind);
        Assert.Equal("leader", alone.GetProperty("role").GetString());
    }
}
