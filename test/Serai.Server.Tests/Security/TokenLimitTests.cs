using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using Dapper;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Serai.Server.Control;
using Xunit.Abstractions;

namespace Serai.Server.Tests.Security;

/// <summary>
/// Issue 9, defect 6 (the rest): failed authentications are limited per token as well as per address, and a token
/// revoked (or deleted from the database) on one server stops working on every server within a second.
/// </summary>
public sealed class TokenLimitTests(ITestOutputHelper output) : IAsyncLifetime
{
    private readonly string _directory = TestDatabases.NewDirectory();
    private readonly LogSink _logs = new();
    private WebApplicationFactory<Program> _first = null!;
    private WebApplicationFactory<Program> _second = null!;

    private string DatabasePath => Path.Combine(_directory, "serai.db");

    public async Task InitializeAsync()
    {
        _first = Start();
        await _first.Services.GetRequiredService<ControlLoop>().Ready.WaitAsync(TimeSpan.FromSeconds(30));
        // a second server on the same database, as with several `serai serve` behind one address
        _second = Start();
        await _second.Services.GetRequiredService<ControlLoop>().Ready.WaitAsync(TimeSpan.FromSeconds(30));
    }

    private WebApplicationFactory<Program> Start()
    {
        var factory = new SeraiFactory(TestDatabases.NewSqlite(_directory), _directory, backend: "none")
            .WithWebHostBuilder(b => b.ConfigureServices(s => s.AddLogging(l => l.AddProvider(_logs))));
        _ = factory.Server;
        return factory;
    }

    public async Task DisposeAsync()
    {
        await _second.DisposeAsync();
        await _first.DisposeAsync();
        TestDatabases.Remove(_directory);
    }

    private static async Task<HttpContext> GetAsync(WebApplicationFactory<Program> server, string address, string token) =>
        await server.Server.SendAsync(c =>
        {
            c.Request.Method = "GET";
            c.Request.Path = "/api/v1/jobs";
            c.Connection.RemoteIpAddress = IPAddress.Parse(address);
            c.Request.Headers.Authorization = $"Bearer {token}";
        });

    private async Task<(string Id, string Secret)> CreateTokenAsync()
    {
        using var admin = _first.CreateClient();
        admin.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", SeraiFactory.AdminToken);
        using var created = await admin.PostAsJsonAsync("/api/v1/tokens", new { tenant = "alpha", label = "limit test" });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var body = await created.JsonAsync();
        return (body.GetProperty("id").GetString()!, body.GetProperty("token").GetString()!);
    }

    private async Task<TimeSpan> RefusedWithinAsync(WebApplicationFactory<Program> server, string address, string token, Stopwatch since)
    {
        while ((await GetAsync(server, address, token)).Response.StatusCode != StatusCodes.Status401Unauthorized)
        {
            Assert.True(since.Elapsed < TimeSpan.FromSeconds(5), "the token still works 5 s after it was revoked");
            await Task.Delay(20);
        }
        return since.Elapsed;
    }

    [Fact]
    public async Task A_revoked_token_replayed_from_many_addresses_is_refused_with_429_from_every_address_and_nothing_else_is()
    {
        var (id, secret) = await CreateTokenAsync();
        Assert.Equal(StatusCodes.Status200OK, (await GetAsync(_first, "192.0.2.1", secret)).Response.StatusCode);
        using (var admin = _first.CreateClient())
        {
            admin.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", SeraiFactory.AdminToken);
            Assert.Equal(HttpStatusCode.OK, (await admin.DeleteAsync($"/api/v1/tokens/{id}")).StatusCode);
        }
        // 20 tries of the revoked token, each from another address: no address reaches its own limit
        for (var i = 0; i < 20; i++)
        {
            Assert.Equal(StatusCodes.Status401Unauthorized, (await GetAsync(_first, $"198.51.100.{i + 1}", secret)).Response.StatusCode);
        }
        var refused = await GetAsync(_first, "198.51.100.200", secret);
        Assert.Equal(StatusCodes.Status429TooManyRequests, refused.Response.StatusCode);
        Assert.InRange(int.Parse(refused.Response.Headers.RetryAfter.ToString(), System.Globalization.CultureInfo.InvariantCulture), 1, 60);
        Assert.Contains("too many failed authentications with this token", await new StreamReader(refused.Response.Body).ReadToEndAsync(), StringComparison.Ordinal);

        // the limit is the token's: a right token and another wrong one from fresh addresses are answered as usual
        Assert.Equal(StatusCodes.Status200OK, (await GetAsync(_first, "198.51.100.201", SeraiFactory.AdminToken)).Response.StatusCode);
        Assert.Equal(StatusCodes.Status401Unauthorized, (await GetAsync(_first, "198.51.100.202", "serai_another_guess")).Response.StatusCode);
        Assert.Contains(_logs.Entries, e => e.Level == LogLevel.Warning && e.Message.Contains("failed authentication too often", StringComparison.Ordinal));
        Assert.DoesNotContain(_logs.Entries, e => e.Message.Contains(secret, StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_token_revoked_on_one_server_stops_working_on_every_server_within_a_second()
    {
        var (id, secret) = await CreateTokenAsync();
        // both servers have checked the token and hold it in memory
        Assert.Equal(StatusCodes.Status200OK, (await GetAsync(_first, "192.0.2.10", secret)).Response.StatusCode);
        Assert.Equal(StatusCodes.Status200OK, (await GetAsync(_second, "192.0.2.10", secret)).Response.StatusCode);

        using var admin = _first.CreateClient();
        admin.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", SeraiFactory.AdminToken);
        var clock = Stopwatch.StartNew();
        Assert.Equal(HttpStatusCode.OK, (await admin.DeleteAsync($"/api/v1/tokens/{id}")).StatusCode);
        var revoked = clock.Elapsed;
        var onFirst = await RefusedWithinAsync(_first, "192.0.2.11", secret, clock);
        var onSecond = await RefusedWithinAsync(_second, "192.0.2.12", secret, clock);
        output.WriteLine($"revoked: refused {(onFirst - revoked).TotalMilliseconds:0} ms later on the revoking server, {(onSecond - revoked).TotalMilliseconds:0} ms on the other");
        Assert.True(onFirst - revoked < TimeSpan.FromSeconds(1), $"the revoking server accepted the token {(onFirst - revoked).TotalMilliseconds:0} ms after the revocation");
        Assert.True(onSecond - revoked < TimeSpan.FromSeconds(1), $"the other server accepted the token {(onSecond - revoked).TotalMilliseconds:0} ms after the revocation");
    }

    [Fact]
    public async Task A_token_deleted_from_the_database_stops_working_on_every_server_within_a_second()
    {
        var (id, secret) = await CreateTokenAsync();
        Assert.Equal(StatusCodes.Status200OK, (await GetAsync(_first, "192.0.2.20", secret)).Response.StatusCode);
        Assert.Equal(StatusCodes.Status200OK, (await GetAsync(_second, "192.0.2.20", secret)).Response.StatusCode);

        using (var connection = new SqliteConnection($"Data Source={DatabasePath};Pooling=False"))
        {
            connection.Open();
            Assert.Equal(1, connection.Execute("delete from api_tokens where hash like @prefix", new { prefix = id + "%" }));
        }
        var clock = Stopwatch.StartNew();
        var onFirst = await RefusedWithinAsync(_first, "192.0.2.21", secret, clock);
        var onSecond = await RefusedWithinAsync(_second, "192.0.2.22", secret, clock);
        output.WriteLine($"deleted: refused {onFirst.TotalMilliseconds:0} ms later on one server, {onSecond.TotalMilliseconds:0} ms on the other");
        Assert.True(onFirst < TimeSpan.FromSeconds(1) && onSecond < TimeSpan.FromSeconds(1),
            $"a deleted token still worked {onFirst.TotalMilliseconds:0} ms (first server) and {onSecond.TotalMilliseconds:0} ms (second) later");
    }
}
