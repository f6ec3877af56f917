using System.Net.Http.Json;
using System.Text.Json;
using Serai.Server.Dashboard;

namespace Serai.Dashboard.Tests;

/// <summary>The overview of the central-asia sample hub in Chromium: a tile per site with power against cap.</summary>
[Collection(BrowserCollection.Name)]
public sealed class OverviewTests(BrowserFixture browser) : IAsyncLifetime
{
    private DashboardHost _host = null!;

    public async Task InitializeAsync() => _host = await DashboardHost.StartAsync(Hubs.CentralAsia, backend: "none");

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task The_overview_shows_every_site_of_the_sample_hub_with_its_power_against_its_cap()
    {
        using var api = _host.Client(DashboardHost.AdminToken);
        var sites = (await api.GetFromJsonAsync<JsonElement>("/api/v1/sites")).EnumerateArray().ToList();
        Assert.True(sites.Count >= 5, $"central-asia has {sites.Count} sites");
        var page = await browser.SignedInPageAsync(_host, DashboardHost.AdminToken);
        var response = await page.GotoAsync("/");
        Assert.Contains("script-src 'self'", response!.Headers["content-security-policy"], StringComparison.Ordinal);
        Assert.Equal("nosniff", response.Headers["x-content-type-options"]);
        foreach (var site in sites)
        {
            var name = site.GetProperty("name").GetString()!;
            var tile = page.Locator($"section.tile[data-site=\"{name}\"]");
            await tile.WaitForAsync();
            Assert.Equal(Html.Watts(site.GetProperty("itCapWatts").GetDouble()), await tile.Locator(".it-power .cap").InnerTextAsync());
            Assert.Contains("of cap", await tile.Locator(".it-power svg.meter").GetAttributeAsync("aria-label"), StringComparison.Ordinal);
            var pools = site.GetProperty("gpus").GetArrayLength();
            Assert.Equal(pools, await tile.Locator("table.gpus tbody tr").CountAsync());
        }
        await page.WaitForFunctionAsync("() => document.getElementById('live-status').textContent.startsWith('live')");
        var shot = await BrowserFixture.ScreenshotAsync(page, "overview");
        Assert.True(new FileInfo(shot).Length > 10_000);
        await Axe.AssertNoSeriousViolationsAsync(page);
    }

    [Fact]
    public async Task The_overview_fits_a_phone_screen_and_the_site_page_draws_its_charts()
    {
        var page = await browser.SignedInPageAsync(_host, DashboardHost.AdminToken, 390, 844);
        await page.Locator("section.tile").First.WaitForAsync();
        var wide = await page.EvaluateAsync<string>(
            "() => [...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right > window.innerWidth + 1).slice(0, 5).map(e => e.tagName + '.' + e.className.baseVal + e.className + ' ' + Math.round(e.getBoundingClientRect().right)).join('; ')");
        Assert.True(wide.Length == 0, $"the overview scrolls sideways at phone width: {wide}");
        await BrowserFixture.ScreenshotAsync(page, "overview-phone");
        await page.SetViewportSizeAsync(1280, 800);
        await page.GotoAsync("/sites/kz-astana");
        foreach (var kind in new[] { "power", "cooling", "energy" })
        {
            await page.Locator($".chart[data-chart={kind}][data-drawn=true]").WaitForAsync();
        }
        Assert.True(await page.Locator(".chart[data-chart=power] canvas").CountAsync() >= 1);
        Assert.True(await page.Locator("svg.scatter").CountAsync() == 1);
        await BrowserFixture.ScreenshotAsync(page, "site-kz-astana");
    }

    [Fact]
    public async Task The_admin_approves_an_AI_system_from_the_page_with_the_keyboard()
    {
        var page = await browser.SignedInPageAsync(_host, DashboardHost.AdminToken);
        await page.GotoAsync("/ai-systems");
        var row = page.Locator("tr[data-system=\"evacuation-priority-scoring\"]");
        await row.Locator("button").FocusAsync();
        await page.Keyboard.PressAsync("Enter");
        await page.WaitForURLAsync("**/ai-systems?approved=*");
        Assert.Contains("yes", await row.Locator("td").Nth(2).InnerTextAsync(), StringComparison.Ordinal);
        Assert.Equal(0, await row.Locator("button").CountAsync());
        await page.GotoAsync("/audit?kind=ai-approve");
        Assert.Contains("evacuation-priority-scoring", await page.Locator("main table").InnerTextAsync(), StringComparison.Ordinal);
    }
}
