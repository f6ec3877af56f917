using Microsoft.Playwright;

namespace Serai.Dashboard.Tests;

/// <summary>
/// Debian's Chromium driven by Playwright (its driver ships in the NuGet package and runs offline). A missing
/// Chromium fails the tests, with CI=true or not: `bash scripts/services/chromium.sh` installs it.
/// </summary>
public sealed class BrowserFixture : IAsyncLifetime
{
    public const string ChromiumPath = "/usr/bin/chromium";

    private IPlaywright? _playwright;

    public IBrowser Browser { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        if (!File.Exists(ChromiumPath))
        {
            var ci = Environment.GetEnvironmentVariable("CI") == "true" ? " (CI=true: browser tests never skip)" : "";
            throw new InvalidOperationException($"{ChromiumPath} is missing{ci}; run `bash scripts/services/chromium.sh` (or scripts/test.sh, which runs it)");
        }
        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            Args = ["--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu"],
        });
    }

    public async Task DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.CloseAsync();
        }
        _playwright?.Dispose();
    }

    /// <summary>A fresh browser context (own cookies) at 1280×800 or another size, signed in with the token.</summary>
    public async Task<IPage> SignedInPageAsync(DashboardHost host, string token, int width = 1280, int height = 800)
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = width, Height = height }, BaseURL = host.Address });
        var page = await context.NewPageAsync();
        page.SetDefaultTimeout(30_000);
        await page.GotoAsync("/");
        await page.WaitForURLAsync("**/signin**");
        await page.FillAsync("#token", token);
        await page.ClickAsync("form.signin button[type=submit]");
        // the page after sign-in is the test's to wait for (each waits for what it looks at); its document is enough here
        await page.WaitForURLAsync(url => !url.Contains("/signin", StringComparison.Ordinal), new PageWaitForURLOptions { WaitUntil = WaitUntilState.DOMContentLoaded });
        return page;
    }

    /// <summary>Saves a full-page screenshot under artifacts/dashboard/.</summary>
    public static async Task<string> ScreenshotAsync(IPage page, string name)
    {
        var directory = Path.Combine(DashboardHost.RepoRoot, "artifacts", "dashboard");
        Directory.CreateDirectory(directory);
        var path = Path.Combine(directory, name + ".png");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = path, FullPage = true });
        return path;
    }
}

/// <summary>Browser tests share one Chromium and run one class at a time (the machine is small).</summary>
[CollectionDefinition(Name)]
public sealed class BrowserCollection : ICollectionFixture<BrowserFixture>
{
    public const string Name = "browser";
}
