using System.Net.Http.Json;
using System.Text.Json;

namespace Serai.Dashboard.Tests;

/// <summary>
/// A lowered IT cap shows on the site power chart. The server has no admin API for overrides yet, so the cap is
/// lowered the way an operator does it today: in the hub file, and the server restarted on the same database.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class CapChartTests(BrowserFixture browser)
{
    private static async Task<int> SamplesAsync(DashboardHost host)
    {
        using var api = host.Client(DashboardHost.AdminToken);
        var series = await api.GetFromJsonAsync<JsonElement>("/api/v1/sites/local/series");
        return series.GetProperty("samples").GetArrayLength();
    }

    [Fact]
    public async Task A_lowered_cap_shows_on_the_site_power_chart()
    {
        var directory = DashboardHost.NewDirectory();
        await using (var before = await DashboardHost.StartAsync(Hubs.LocalWithCap(directory, 0.008), backend: "none", directory: directory, sampleSeconds: 0.5))
        {
            var deadline = DateTime.UtcNow.AddSeconds(30);
            while (await SamplesAsync(before) < 4)
            {
                Assert.True(DateTime.UtcNow < deadline, "the sampler wrote no samples");
                await Task.Delay(250);
            }
        }
        await using var host = await DashboardHost.StartAsync(Hubs.LocalWithCap(directory, 0.004), backend: "none", directory: directory, sampleSeconds: 0.5);
        await Task.Delay(1500);
        var page = await browser.SignedInPageAsync(host, DashboardHost.AdminToken);
        await page.GotoAsync("/sites/local?hours=1");
        var chart = page.Locator(".chart[data-chart=power][data-drawn=true]");
        await chart.WaitForAsync();
        var caps = (await chart.GetAttributeAsync("data-caps"))!.Split(' ');
        Assert.Contains("8000", caps);
        Assert.Contains("4000", caps);
        Assert.Contains("cap 4.0 kW", await page.Locator("p.summary").InnerTextAsync(), StringComparison.Ordinal);
        await BrowserFixture.ScreenshotAsync(page, "site-power-lowered-cap");
        await page.GotoAsync("/");
        Assert.Equal("4.0 kW", await page.Locator("section.tile[data-site=\"local\"] .it-power .cap").InnerTextAsync());
    }
}
