using System.Net;

namespace Serai.Server.Tests;

/// <summary>A tenant sees, cancels and reads logs of its own jobs only; another tenant's job is a 404.</summary>
public sealed class IsolationTests(SqliteServerFixture fixture) : IClassFixture<SqliteServerFixture>
{
    private static readonly object AlphaJob = new { command = (string[])["sleep", "30"], gpus = 1, name = "alpha-secret" };

    [Fact]
    public async Task Another_tenants_job_is_not_in_the_list()
    {
        var id = await fixture.Factory!.Client(SeraiFactory.AlphaToken).SubmitIdAsync(AlphaJob);
        var beta = fixture.Factory.Client(SeraiFactory.BetaToken);
        var list = await (await beta.GetAsync("/api/v1/jobs?limit=1000")).JsonAsync();
        Assert.DoesNotContain(list.GetProperty("items").EnumerateArray(), j => j.GetProperty("id").GetInt64() == id);
        // asking for another tenant's jobs is refused outright (it was silently answered with the caller's own list)
        var filtered = await beta.GetAsync("/api/v1/jobs?tenant=alpha");
        Assert.Equal(HttpStatusCode.Forbidden, filtered.StatusCode);
        Assert.DoesNotContain("alpha-secret", await filtered.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var own = await (await beta.GetAsync("/api/v1/jobs?tenant=beta")).JsonAsync();
        Assert.All(own.GetProperty("items").EnumerateArray(), j => Assert.Equal("beta", j.GetProperty("tenant").GetString()));
        var admin = await (await fixture.Factory.Client(SeraiFactory.AdminToken).GetAsync("/api/v1/jobs?tenant=alpha&limit=1000")).JsonAsync();
        Assert.Contains(admin.GetProperty("items").EnumerateArray(), j => j.GetProperty("id").GetInt64() == id);
    }

    [Fact]
    public async Task Another_tenants_job_is_404_for_get_cancel_and_logs()
    {
        var alpha = fixture.Factory!.Client(SeraiFactory.AlphaToken);
        var id = await alpha.SubmitIdAsync(AlphaJob);
        var beta = fixture.Factory.Client(SeraiFactory.BetaToken);
        Assert.Equal(HttpStatusCode.NotFound, (await beta.GetAsync($"/api/v1/jobs/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await beta.PostAsync($"/api/v1/jobs/{id}/cancel", null)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await beta.GetAsync($"/api/v1/jobs/{id}/logs")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await beta.GetAsync($"/api/v1/jobs/{id}/logs?stream=stderr")).StatusCode);
        // the job is untouched, and the owner still sees it
        Assert.NotEqual("cancelled", (await alpha.GetJobAsync(id)).State());
    }

    [Fact]
    public async Task Tenant_views_of_tenants_accounting_audit_and_registry_are_their_own()
    {
        var beta = fixture.Factory!.Client(SeraiFactory.BetaToken);
        var tenants = await (await beta.GetAsync("/api/v1/tenants")).JsonAsync();
        Assert.Equal("beta", Assert.Single(tenants.EnumerateArray()).GetProperty("name").GetString());
        Assert.Equal(HttpStatusCode.NotFound, (await beta.GetAsync("/api/v1/tenants/alpha")).StatusCode);
        var systems = await (await beta.GetAsync("/api/v1/ai-systems")).JsonAsync();
        Assert.All(systems.EnumerateArray(), s => Assert.Equal("beta", s.GetProperty("owner").GetString()));
        var datasets = await (await beta.GetAsync("/api/v1/datasets")).JsonAsync();
        Assert.Empty(datasets.EnumerateArray());
        var audit = await (await beta.GetAsync("/api/v1/audit")).JsonAsync();
        Assert.All(audit.GetProperty("items").EnumerateArray(), a => Assert.Equal("beta", a.GetProperty("tenant").GetString()));
        Assert.Equal(HttpStatusCode.Forbidden, (await beta.PostAsync("/api/v1/ai-systems/beta-scoring/approve", null)).StatusCode);
    }
}
