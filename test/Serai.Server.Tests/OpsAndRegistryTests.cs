using System.Net;

namespace Serai.Server.Tests;

/// <summary>Health, metrics, OpenAPI, sites, tenants and the AI-system registry.</summary>
public sealed class OpsAndRegistryTests(SqliteServerFixture fixture) : IClassFixture<SqliteServerFixture>
{
    [Fact]
    public async Task Health_metrics_and_the_OpenAPI_document_are_served_without_a_token()
    {
        var anonymous = fixture.Factory!.Client(null);
        var health = await (await anonymous.GetAsync("/healthz")).JsonAsync();
        Assert.Equal("ok", health.GetProperty("status").GetString());
        var metrics = await anonymous.GetStringAsync("/metrics");
        Assert.Contains("# TYPE serai_jobs gauge", metrics, StringComparison.Ordinal);
        Assert.Contains("serai_gpus{site=\"lab\",model=\"H100\",state=\"free\"}", metrics, StringComparison.Ordinal);
        Assert.Contains("serai_site_pue{site=\"lab\"}", metrics, StringComparison.Ordinal);
        var openapi = await (await anonymous.GetAsync("/openapi/v1.json")).JsonAsync();
        var paths = openapi.GetProperty("paths");
        foreach (var path in (string[])["/api/v1/jobs", "/api/v1/jobs/{id}", "/api/v1/jobs/{id}/cancel", "/api/v1/jobs/{id}/logs", "/api/v1/sites",
            "/api/v1/tenants", "/api/v1/datasets", "/api/v1/ai-systems", "/api/v1/accounting", "/api/v1/audit"])
        {
            Assert.True(paths.TryGetProperty(path, out _), $"OpenAPI lacks {path}");
        }
    }

    [Fact]
    public async Task Sites_show_gpus_power_and_conditions_now()
    {
        var sites = await (await fixture.Factory!.Client(SeraiFactory.BetaToken).GetAsync("/api/v1/sites")).JsonAsync();
        var lab = Assert.Single(sites.EnumerateArray());
        Assert.Equal("lab", lab.GetProperty("name").GetString());
        var h100 = Assert.Single(lab.GetProperty("gpus").EnumerateArray());
        Assert.Equal(8, h100.GetProperty("total").GetInt32());
        Assert.Equal(10, lab.GetProperty("outdoorTemperatureC").GetDouble(), 3);
        Assert.Equal(500, lab.GetProperty("carbonGPerKwh").GetDouble(), 3);
        Assert.True(lab.GetProperty("pue").GetDouble() >= 1);
        Assert.True(lab.GetProperty("itWatts").GetDouble() > 0);
    }

    [Fact]
    public async Task A_tenant_registers_an_AI_system_and_only_the_admin_approves_it()
    {
        var beta = fixture.Factory!.Client(SeraiFactory.BetaToken);
        var id = "beta-" + Guid.NewGuid().ToString("N")[..6];
        var registered = await beta.PostAsync("/api/v1/ai-systems", Http.Json($$"""{"id":"{{id}}","risk":"high"}"""));
        Assert.Equal(HttpStatusCode.Created, registered.StatusCode);
        Assert.False((await registered.JsonAsync()).GetProperty("mayRun").GetBoolean());
        Assert.Equal(HttpStatusCode.Conflict, (await beta.PostAsync("/api/v1/ai-systems", Http.Json($$"""{"id":"{{id}}","risk":"high"}"""))).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await beta.PostAsync($"/api/v1/ai-systems/{id}/approve", null)).StatusCode);
        var approved = await fixture.Factory.Client(SeraiFactory.AdminToken).PostAsync($"/api/v1/ai-systems/{id}/approve", null);
        Assert.Equal(HttpStatusCode.OK, approved.StatusCode);
        Assert.True((await approved.JsonAsync()).GetProperty("mayRun").GetBoolean());
        // a job may name the new system at once
        Assert.Equal(HttpStatusCode.Created, (await beta.SubmitAsync(new { command = (string[])["true"], gpus = 1, aiSystem = id })).StatusCode);
        var audit = await (await beta.GetAsync("/api/v1/audit?kind=ai-approve")).JsonAsync();
        Assert.Contains(audit.GetProperty("items").EnumerateArray(), a => a.GetProperty("message").GetString()!.Contains(id, StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_tenant_may_not_run_another_tenants_AI_system_and_learns_nothing_of_it()
    {
        var beta = fixture.Factory!.Client(SeraiFactory.BetaToken);
        var other = await beta.SubmitAsync(new { command = (string[])["true"], gpus = 1, aiSystem = "alpha-chat" });
        var unknown = await beta.SubmitAsync(new { command = (string[])["true"], gpus = 1, aiSystem = "no-such-system" });
        Assert.Equal(HttpStatusCode.BadRequest, other.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, unknown.StatusCode);
        var otherText = (await other.JsonAsync()).GetProperty("errors").GetRawText();
        var unknownText = (await unknown.JsonAsync()).GetProperty("errors").GetRawText();
        Assert.Contains("'alpha-chat' is not registered", otherText, StringComparison.Ordinal);
        Assert.Equal(unknownText.Replace("no-such-system", "alpha-chat", StringComparison.Ordinal), otherText);
        var owner = fixture.Factory.Client(SeraiFactory.AlphaToken);
        Assert.Equal(HttpStatusCode.Created, (await owner.SubmitAsync(new { command = (string[])["true"], gpus = 1, aiSystem = "alpha-chat" })).StatusCode);
    }

    [Fact]
    public async Task Tenants_show_guarantees_and_fair_share()
    {
        var tenants = await (await fixture.Factory!.Client(SeraiFactory.AdminToken).GetAsync("/api/v1/tenants")).JsonAsync();
        Assert.Equal(["alpha", "beta"], tenants.EnumerateArray().Select(t => t.GetProperty("name").GetString()));
        var alpha = tenants.EnumerateArray().First();
        Assert.Equal(2, alpha.GetProperty("guaranteedGpus").GetInt32());
        Assert.Equal(4, alpha.GetProperty("entitlementGpus").GetDouble(), 3);
    }
}
