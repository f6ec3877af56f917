using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Serai.Server.Control;

namespace Serai.Server.Tests.Security;

/// <summary>Issue 9, defect 1: a server whose jobs cannot run as their tenants' accounts says so plainly at start.</summary>
public sealed class IsolationWarningTests
{
    [Fact]
    public async Task A_server_that_does_not_switch_users_warns_at_start_that_jobs_are_not_isolated()
    {
        var directory = TestDatabases.NewDirectory();
        var logs = new LogSink();
        try
        {
            await using var server = new SeraiFactory(TestDatabases.NewSqlite(directory), directory)
                .WithWebHostBuilder(b =>
                {
                    b.UseSetting("Serai:RunJobsAsTenants", "false");
                    b.ConfigureServices(s => s.AddLogging(l => l.AddProvider(logs)));
                });
            await server.Services.GetRequiredService<ControlLoop>().Ready.WaitAsync(TimeSpan.FromSeconds(30));
            var warning = Assert.Single(logs.Entries, e => e.Level == LogLevel.Warning && e.Message.Contains("not isolated", StringComparison.Ordinal));
            Assert.Contains("local jobs are not isolated from the server: ", warning.Message, StringComparison.Ordinal);
        }
        finally
        {
            TestDatabases.Remove(directory);
        }
    }
}
