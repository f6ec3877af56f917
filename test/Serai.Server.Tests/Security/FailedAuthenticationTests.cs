using System.Collections.Concurrent;
using System.Net;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Serai.Server.Tests.Security;

/// <summary>
/// Issue 9, defect 6 (the part about failed authentications): each client address gets a bounded number of tries,
/// then 429 with Retry-After; every failure is logged at warning level with the address and never the token.
/// </summary>
public sealed class FailedAuthenticationTests : IAsyncLifetime
{
    private readonly string _directory = TestDatabases.NewDirectory();
    private readonly LogSink _logs = new();
    private WebApplicationFactory<Program> _server = null!;

    public Task InitializeAsync()
    {
        _server = new SeraiFactory(TestDatabases.NewSqlite(_directory), _directory, backend: "none")
            .WithWebHostBuilder(b => b.ConfigureServices(s => s.AddLogging(l => l.AddProvider(_logs))));
        _ = _server.Server;
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        TestDatabases.Remove(_directory);
    }

    private async Task<HttpContext> GetAsync(string address, string? authorization, string path = "/api/v1/jobs") =>
        await _server.Server.SendAsync(c =>
        {
            c.Request.Method = "GET";
            c.Request.Path = path;
            c.Connection.RemoteIpAddress = IPAddress.Parse(address);
            if (authorization is not null)
            {
                c.Request.Headers.Authorization = authorization;
            }
        });

    [Fact]
    public async Task An_address_that_fails_too_often_is_refused_with_429_even_with_a_right_token_and_others_are_not()
    {
        const string attacker = "203.0.113.7";
        for (var i = 0; i < 20; i++)
        {
            Assert.Equal(StatusCodes.Status401Unauthorized, (await GetAsync(attacker, $"Bearer serai_guess_{i}")).Response.StatusCode);
        }
        var refused = await GetAsync(attacker, $"Bearer {SeraiFactory.AdminToken}");
        Assert.Equal(StatusCodes.Status429TooManyRequests, refused.Response.StatusCode);
        Assert.InRange(int.Parse(refused.Response.Headers.RetryAfter.ToString(), System.Globalization.CultureInfo.InvariantCulture), 1, 60);
        var problem = await new StreamReader(refused.Response.Body).ReadToEndAsync();
        Assert.Contains("too many failed authentications", problem, StringComparison.Ordinal);

        Assert.Equal(StatusCodes.Status200OK, (await GetAsync("203.0.113.8", $"Bearer {SeraiFactory.AdminToken}")).Response.StatusCode);
        Assert.Equal(StatusCodes.Status401Unauthorized, (await GetAsync("203.0.113.8", "Bearer serai_wrong")).Response.StatusCode);
    }

    [Fact]
    public async Task A_failed_authentication_is_logged_as_a_warning_with_the_address_and_never_the_token()
    {
        const string secret = "serai_this_must_never_be_logged";
        Assert.Equal(StatusCodes.Status401Unauthorized, (await GetAsync("198.51.100.23", $"Bearer {secret}")).Response.StatusCode);
        Assert.Equal(StatusCodes.Status401Unauthorized, (await GetAsync("198.51.100.23", $"Basic {secret}")).Response.StatusCode);
        var warnings = _logs.Entries.Where(e => e.Level == LogLevel.Warning && e.Message.Contains("198.51.100.23", StringComparison.Ordinal)).ToList();
        Assert.Equal(2, warnings.Count);
        Assert.All(warnings, w => Assert.Contains("authentication failed", w.Message, StringComparison.Ordinal));
        Assert.DoesNotContain(_logs.Entries, e => e.Message.Contains(secret, StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_right_token_is_not_counted_or_logged_as_a_failure()
    {
        for (var i = 0; i < 30; i++)
        {
            Assert.Equal(StatusCodes.Status200OK, (await GetAsync("192.0.2.40", $"Bearer {SeraiFactory.AdminToken}")).Response.StatusCode);
        }
        Assert.DoesNotContain(_logs.Entries, e => e.Message.Contains("192.0.2.40", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Dashboard_sign_ins_with_wrong_tokens_count_toward_the_same_limit()
    {
        var browser = _server.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        var page = await browser.GetStringAsync("/signin");
        var csrf = System.Text.RegularExpressions.Regex.Match(page, "name=\"csrf\" value=\"([^\"]+)\"").Groups[1].Value;
        Assert.NotEmpty(csrf);
        Task<HttpResponseMessage> PostAsync(string token) =>
            browser.PostAsync("/signin", new FormUrlEncodedContent(new Dictionary<string, string> { ["csrf"] = csrf, ["token"] = token, ["return"] = "/" }));
        for (var i = 0; i < 20; i++)
        {
            Assert.Equal(HttpStatusCode.Redirect, (await PostAsync($"serai_wrong_{i}")).StatusCode);
        }
        var refused = await PostAsync(SeraiFactory.AdminToken);
        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.True(refused.Headers.RetryAfter is not null);
        Assert.Contains(_logs.Entries, e => e.Level == LogLevel.Warning && e.Message.Contains("dashboard sign-in failed", StringComparison.Ordinal));
        Assert.DoesNotContain(_logs.Entries, e => e.Message.Contains("serai_wrong_", StringComparison.Ordinal));
    }

    private sealed class LogSink : ILoggerProvider
    {
        public ConcurrentQueue<(LogLevel Level, string Message)> Entries { get; } = new();

        public ILogger CreateLogger(string categoryName) => new Sink(this);

        public void Dispose()
        {
        }

        private sealed class Sink(LogSink owner) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
                owner.Entries.Enqueue((logLevel, formatter(state, exception) + " " + exception));
        }
    }
}
