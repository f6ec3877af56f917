using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Serai.Server.Control;
using Serai.Server.Tests.Security;

namespace Serai.Server.Tests.Faults;

/// <summary>SQLite serves one server: a second one started on the same file is told so, at error level and in its /healthz.</summary>
public sealed class SqliteSecondServerTests : IDisposable
{
    private readonly string _directory = TestDatabases.NewDirectory();

    public void Dispose() => TestDatabases.Remove(_directory);

    [Fact]
    public async Task A_second_server_on_one_SQLite_file_says_so_at_error_level_and_in_its_health()
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
