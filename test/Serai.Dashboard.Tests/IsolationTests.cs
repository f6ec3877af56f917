namespace Serai.Dashboard.Tests;

/// <summary>A tenant signed in to the dashboard sees its own jobs and accounting only; the admin sees all.</summary>
[Collection(BrowserCollection.Name)]
public sealed class IsolationTests(BrowserFixture browser) : IAsyncLifetime
{
    private DashboardHost _host = null!;

    public async Task InitializeAsync() => _host = await DashboardHost.StartAsync(Hubs.Local);

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task A_tenant_does_not_see_another_tenants_job_or_accounting()
    {
        var theirs = await _host.SubmitAsync(DashboardHost.TenantToken("demo"), "sleep 30", 1, "demo-secret-job");
        var mine = await _host.SubmitAsync(DashboardHost.TenantToken("default"), "sleep 30", 1, "default-own-job");
        var page = await browser.SignedInPageAsync(_host, DashboardHost.TenantToken("default"));
        await page.GotoAsync("/jobs");
        await page.Locator($"tr[data-job=\"{mine}\"]").WaitForAsync();
        Assert.Equal(0, await page.Locator($"tr[data-job=\"{theirs}\"]").CountAsync());
        Assert.DoesNotContain("demo-secret-job", await page.ContentAsync(), StringComparison.Ordinal);
        var other = await page.GotoAsync($"/jobs/{theirs}");
        Assert.Equal(404, other!.Status);
        await page.GotoAsync("/tenants");
        Assert.Equal(1, await page.Locator("tr[data-tenant=\"default\"]").CountAsync());
        Assert.Equal(0, await page.Locator("tr[data-tenant=\"demo\"]").CountAsync());
        var csv = await (await page.Context.APIRequest.GetAsync("/tenants.csv")).TextAsync();
        Assert.Contains(",default,", csv, StringComparison.Ordinal);
        Assert.DoesNotContain("demo", csv, StringComparison.Ordinal);
        foreach (var path in new[] { "/queue", "/audit", "/capacity" })
        {
            await page.GotoAsync(path);
            Assert.DoesNotContain("demo-secret-job", await page.ContentAsync(), StringComparison.Ordinal);
            Assert.Equal(0, await page.Locator($"a[href=\"/jobs/{theirs}\"]").CountAsync());
        }
        await BrowserFixture.ScreenshotAsync(page, "tenant-default-jobs");

        var admin = await browser.SignedInPageAsync(_host, DashboardHost.AdminToken);
        await admin.GotoAsync("/jobs");
        await admin.Locator($"tr[data-job=\"{theirs}\"]").WaitForAsync();
        await admin.GotoAsync("/tenants");
        Assert.Equal(1, await admin.Locator("tr[data-tenant=\"demo\"]").CountAsync());
        using var api = _host.Client(DashboardHost.AdminToken);
        await api.PostAsync($"/api/v1/jobs/{theirs}/cancel", null);
        await api.PostAsync($"/api/v1/jobs/{mine}/cancel", null);
    }
}
