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

    /// <summary>A few tenants' jobs (the "none" backend keeps placed jobs running), so that the pages show a working hub.</summary>
    private async Task LoadTheHubAsync(HttpClient api)
    {
        object[] jobs =
        [
            new { tenant = "kazllm", name = "kazllm-pretrain", command = (string[])["train"], gpus = 1024, gpusPerNode = 8 },
            new { tenant = "uz-digital", name = "uz-speech", command = (string[])["train"], gpus = 512, gpusPerNode = 8 },
            new { tenant = "kazhydromet", name = "flood-forecast", command = (string[])["forecast"], gpus = 64, gpusPerNode = 8 },
            new { tenant = "ai-skills", name = "thesis-llm", command = (string[])["train"], gpus = 32, gpusPerNode = 8 },
            new { tenant = "startups", name = "startup-finetune", command = (string[])["train"], gpus = 128, gpusPerNode = 8 },
            new { tenant = "kz-emergencies", name = "evacuation-plan", command = (string[])["plan"], gpus = 16, gpusPerNode = 8, aiSystem = "evacuation-priority-scoring" },
        ];
        foreach (var job in jobs)
        {
            var response = await api.PostAsJsonAsync("/api/v1/jobs", job);
            Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        }
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while ((await api.GetFromJsonAsync<JsonElement>("/healthz")).GetProperty("runningJobs").GetInt32() < 3)
        {
            Assert.True(DateTime.UtcNow < deadline, "the sample jobs were not placed");
            await Task.Delay(250);
        }
    }

    [Fact]
    public async Task The_overview_shows_every_site_of_the_sample_hub_with_its_power_against_its_cap()
    {
        using var api = _host.Client(DashboardHost.AdminToken);
        await LoadTheHubAsync(api);
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
        await page.GotoAsync("/capacity");
        // the grid of kazllm's pool draws a cell per GpusPerCell(pool size) GPUs: its 1024 GPUs fill at least that many cells
        var hub = Serai.Config.HubConfigLoader.LoadFile(Hubs.CentralAsia).Hub!;
        var kazllmJob = JsonDocument.Parse(await api.GetStringAsync("/api/v1/jobs/1")).RootElement;
        Assert.Equal("kazllm-pretrain", kazllmJob.GetProperty("name").GetString());
        var kazllmPool = hub.Pools.Single(p => p.Name == kazllmJob.GetProperty("pool").GetString()
            && hub.Sites[p.Site].Name == kazllmJob.GetProperty("site").GetString());
        Assert.True(await page.Locator("svg.gpugrid rect.t3").CountAsync() >= 1024 / Serai.Server.Dashboard.Svg.GpusPerCell(kazllmPool.Gpus),
            $"kazllm's GPUs are coloured as kazllm's (on {kazllmPool.Name}, {kazllmPool.Gpus} GPUs)");
        await BrowserFixture.ScreenshotAsync(page, "capacity");
        await page.GotoAsync("/queue");
        await page.Locator("section.queue-group[data-group=\"waiting for approval\"]").WaitForAsync();
        await BrowserFixture.ScreenshotAsync(page, "queue-central-asia");
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
