using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using Serai.Server.Persistence;

namespace Serai.Dashboard.Tests;

/// <summary>The dashboard's endpoints over plain HTTP: bad input is a 4xx ProblemDetails naming the field; cookies and CSRF.</summary>
public sealed partial class EndpointTests : IAsyncLifetime
{
    private DashboardHost _host = null!;

    public async Task InitializeAsync() => _host = await DashboardHost.StartAsync(Hubs.CentralAsia, backend: "none", sampleSeconds: 0.5);

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private static async Task AssertProblemAsync(HttpResponseMessage response, HttpStatusCode status, string field)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(status == response.StatusCode, $"{(int)response.StatusCode}: {text}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains(field + ":", JsonDocument.Parse(text).RootElement.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/api/v1/sites/kz-astana/series?from=yesterday", "from")]
    [InlineData("/api/v1/sites/kz-astana/series?to=-5", "to")]
    [InlineData("/api/v1/sites/kz-astana/series?from=2000&to=1000", "to")]
    [InlineData("/api/v1/sites/kz-astana/series?from=0&to=99999999", "from")]
    [InlineData("/jobs?state=sleeping", "state")]
    [InlineData("/jobs?priority=urgent", "priority")]
    [InlineData("/jobs?tenant=nobody", "tenant")]
    [InlineData("/jobs?before=abc", "before")]
    [InlineData("/audit?kind=teleport", "kind")]
    [InlineData("/audit?job=-3", "job")]
    [InlineData("/sites/kz-astana?hours=5", "hours")]
    public async Task Bad_input_is_a_400_problem_naming_the_field(string url, string field)
    {
        using var admin = _host.Client(DashboardHost.AdminToken);
        await AssertProblemAsync(await admin.GetAsync(url), HttpStatusCode.BadRequest, field);
    }

    [Theory]
    [InlineData("/api/v1/sites/atlantis/series")]
    [InlineData("/sites/atlantis")]
    [InlineData("/jobs/424242")]
    public async Task Unknown_names_are_a_404_problem(string url)
    {
        using var admin = _host.Client(DashboardHost.AdminToken);
        var response = await admin.GetAsync(url);
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal(404, problem.GetProperty("status").GetInt32());
        Assert.False(string.IsNullOrEmpty(problem.GetProperty("detail").GetString()));
    }

    [Fact]
    public async Task The_series_holds_sampled_history_and_needs_a_token()
    {
        using var anonymous = _host.Client(null);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/api/v1/sites/kz-astana/series")).StatusCode);
        Assert.True(Migrations.Latest >= 3, "the series table comes with migration 3");
        using var tenant = _host.Client(DashboardHost.TenantToken("kazllm"));
        var deadline = DateTime.UtcNow.AddSeconds(20);
        JsonElement series;
        do
        {
            await Task.Delay(300);
            series = JsonDocument.Parse(await tenant.GetStringAsync("/api/v1/sites/kz-astana/series")).RootElement;
            Assert.True(DateTime.UtcNow < deadline, "fewer than 3 samples after 20 s");
        }
        while (series.GetProperty("samples").GetArrayLength() < 3);
        var first = series.GetProperty("samples")[0];
        Assert.Equal(2_000_000, first.GetProperty("itCapWatts").GetDouble());
        Assert.True(first.GetProperty("coolingLimitWatts").GetDouble() > 0);
        Assert.Contains("carbonGPerKwh", series.GetProperty("modelled").EnumerateArray().Select(e => e.GetString()));
    }

    [Fact]
    public async Task Signed_out_browsers_are_sent_to_sign_in_and_the_cookie_is_a_session_not_the_token()
    {
        using var anonymous = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = new Uri(_host.Address) };
        var home = await anonymous.GetAsync("/queue");
        Assert.Equal(HttpStatusCode.Redirect, home.StatusCode);
        Assert.StartsWith("/signin?return=%2Fqueue", home.Headers.Location!.OriginalString, StringComparison.Ordinal);
        Assert.Contains("frame-ancestors 'none'", home.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);

        var (client, cookies, csrf) = await SignInAsync(DashboardHost.AdminToken);
        var session = cookies.GetCookies(new Uri(_host.Address))["serai_session"]!;
        Assert.True(session.HttpOnly);
        Assert.DoesNotContain(DashboardHost.AdminToken, session.Value, StringComparison.Ordinal);
        var page = await client.GetAsync("/");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains("Hub overview", await page.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.NotEmpty(csrf);
    }

    [Fact]
    public async Task Signing_out_ends_the_session_on_the_server()
    {
        var (client, cookies, csrf) = await SignInAsync(DashboardHost.AdminToken);
        var id = cookies.GetCookies(new Uri(_host.Address))["serai_session"]!.Value;
        Assert.Equal(HttpStatusCode.Redirect, (await client.PostAsync("/signout", new FormUrlEncodedContent([new("csrf", csrf)]))).StatusCode);
        using var replay = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = new Uri(_host.Address) };
        replay.DefaultRequestHeaders.Add("Cookie", "serai_session=" + id);
        Assert.Equal(HttpStatusCode.Redirect, (await replay.GetAsync("/jobs")).StatusCode);
        replay.DefaultRequestHeaders.Add("HX-Request", "true");
        var live = await replay.GetAsync("/jobs");
        Assert.StartsWith("/signin", live.Headers.GetValues("HX-Redirect").Single(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_cookie_post_without_the_anti_forgery_token_is_refused()
    {
        var (client, _, csrf) = await SignInAsync(DashboardHost.AdminToken);
        var without = await client.PostAsync("/ai-systems/startup-credit-scoring/approve", new FormUrlEncodedContent([]));
        Assert.Equal(HttpStatusCode.Unauthorized, without.StatusCode);
        var wrong = await client.PostAsync("/ai-systems/startup-credit-scoring/approve", new FormUrlEncodedContent([new("csrf", "forged")]));
        Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        var right = await client.PostAsync("/ai-systems/startup-credit-scoring/approve", new FormUrlEncodedContent([new("csrf", csrf)]));
        Assert.Equal(HttpStatusCode.Redirect, right.StatusCode);
        var (tenant, _, tenantCsrf) = await SignInAsync(DashboardHost.TenantToken("startups"));
        Assert.Equal(HttpStatusCode.Forbidden, (await tenant.PostAsync("/ai-systems/kazllm-chat/approve", new FormUrlEncodedContent([new("csrf", tenantCsrf)]))).StatusCode);
    }

    [Fact]
    public async Task Sign_in_rejects_a_missing_anti_forgery_value_a_non_form_body_and_an_unknown_token()
    {
        using var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = new Uri(_host.Address) };
        await AssertProblemAsync(await client.PostAsync("/signin", new FormUrlEncodedContent([new("token", DashboardHost.AdminToken)])), HttpStatusCode.BadRequest, "csrf");
        await AssertProblemAsync(await client.PostAsync("/signin", new StringContent("{}", System.Text.Encoding.UTF8, "application/json")), HttpStatusCode.UnsupportedMediaType, "body");
        var (_, _, _, response) = await TrySignInAsync("serai_not_a_token");
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Contains("error=token", response.Headers.Location!.OriginalString, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Sign_in_never_redirects_to_another_host()
    {
        var (_, _, _, response) = await TrySignInAsync(DashboardHost.AdminToken, "//evil.example/");
        Assert.Equal("/", response.Headers.Location!.OriginalString);
    }

    private async Task<(HttpClient Client, CookieContainer Cookies, string Csrf)> SignInAsync(string token)
    {
        var (client, cookies, csrf, response) = await TrySignInAsync(token);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        return (client, cookies, csrf);
    }

    private async Task<(HttpClient Client, CookieContainer Cookies, string Csrf, HttpResponseMessage Response)> TrySignInAsync(string token, string returnUrl = "/")
    {
        var cookies = new CookieContainer();
        var client = new HttpClient(new HttpClientHandler { CookieContainer = cookies, AllowAutoRedirect = false }) { BaseAddress = new Uri(_host.Address) };
        var form = await client.GetStringAsync("/signin");
        var pre = CsrfField().Match(form).Groups[1].Value;
        var response = await client.PostAsync("/signin", new FormUrlEncodedContent([new("csrf", pre), new("token", token), new("return", returnUrl)]));
        var csrf = "";
        if (response.StatusCode == HttpStatusCode.Redirect && !response.Headers.Location!.OriginalString.StartsWith("/signin", StringComparison.Ordinal))
        {
            csrf = CsrfField().Match(await client.GetStringAsync("/")).Groups[1].Value;
        }
        return (client, cookies, csrf, response);
    }

    [GeneratedRegex("name=\"csrf\" value=\"([^\"]+)\"")]
    private static partial Regex CsrfField();
}
