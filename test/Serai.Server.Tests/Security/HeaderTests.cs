using System.Net;

namespace Serai.Server.Tests.Security;

/// <summary>Issue 9, defect 8: no MIME sniffing, no caching of answers that carry tokens or a caller's data, no Server header.</summary>
public sealed class HeaderTests(SqliteServerFixture fixture) : IClassFixture<SqliteServerFixture>
{
    [Theory]
    [InlineData("/api/v1/jobs")]
    [InlineData("/api/v1/tenants")]
    [InlineData("/openapi/v1.json")]
    [InlineData("/healthz")]
    [InlineData("/api/v1/no-such-endpoint")]
    public async Task Every_answer_forbids_MIME_sniffing(string path)
    {
        var response = await fixture.Factory!.Client(SeraiFactory.AdminToken).GetAsync(path);
        Assert.Equal("nosniff", Assert.Single(response.Headers.GetValues("X-Content-Type-Options")));
        Assert.False(response.Headers.Contains("Server"));
    }

    [Fact]
    public async Task An_answer_that_carries_a_token_is_not_stored_by_caches()
    {
        var admin = fixture.Factory!.Client(SeraiFactory.AdminToken);
        var response = await admin.PostAsync("/api/v1/tenants/alpha/tokens", null);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Contains("serai_", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.True(response.Headers.CacheControl?.NoStore, $"Cache-Control: {response.Headers.CacheControl}");
        foreach (var path in (string[])["/api/v1/jobs", "/api/v1/accounting"])
        {
            Assert.True((await admin.GetAsync(path)).Headers.CacheControl?.NoStore, path);
        }
        Assert.True((await fixture.Factory.Client(null).GetAsync("/api/v1/jobs")).Headers.CacheControl?.NoStore, "401");
    }

    [Fact]
    public async Task The_real_server_sends_no_Server_header()
    {
        var directory = TestDatabases.NewDirectory();
        try
        {
            using var serve = await ServeProcess.StartAsync(directory, ServeProcess.FreePort());
            using var client = serve.Client();
            foreach (var path in (string[])["/healthz", "/api/v1/jobs", "/no-such-page"])
            {
                var response = await client.GetAsync(path);
                Assert.False(response.Headers.Contains("Server"), $"{path}: Server: {string.Join(",", response.Headers.TryGetValues("Server", out var v) ? v : [])}");
                Assert.Equal("nosniff", Assert.Single(response.Headers.GetValues("X-Content-Type-Options")));
            }
        }
        finally
        {
            TestDatabases.Remove(directory);
        }
    }
}
