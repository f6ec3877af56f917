using System.Text.Json;

namespace Serai.Dashboard.Tests;

/// <summary>Jobs submitted through the API show up live in the browser: queued with a reason, then running; logs follow.</summary>
[Collection(BrowserCollection.Name)]
public sealed class JobFlowTests(BrowserFixture browser) : IAsyncLifetime
{
    private DashboardHost _host = null!;

    public async Task InitializeAsync() => _host = await DashboardHost.StartAsync(Hubs.Local);

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private async Task<string> StateAsync(long id)
    {
        using var api = _host.Client(DashboardHost.AdminToken);
        return JsonDocument.Parse(await api.GetStringAsync($"/api/v1/jobs/{id}")).RootElement.GetProperty("state").GetString()!;
    }

    private async Task WaitForStateAsync(long id, string state)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (await StateAsync(id) != state)
        {
            Assert.True(DateTime.UtcNow < deadline, $"job {id} never became {state}");
            await Task.Delay(200);
        }
    }

    private async Task CancelAsync(long id)
    {
        using var api = _host.Client(DashboardHost.AdminToken);
        await api.PostAsync($"/api/v1/jobs/{id}/cancel", null);
    }

    [Fact]
    public async Task A_job_submitted_through_the_API_waits_in_the_queue_with_its_reason_then_runs_without_a_reload()
    {
        var token = DashboardHost.TenantToken("default");
        var blocker = await _host.SubmitAsync(token, "sleep 300", 4, "blocker");
        await WaitForStateAsync(blocker, "running");
        var queue = await browser.SignedInPageAsync(_host, DashboardHost.AdminToken);
        await queue.GotoAsync("/queue");
        var jobs = await browser.SignedInPageAsync(_host, DashboardHost.AdminToken);
        await jobs.GotoAsync("/jobs");
        // a reload would lose these marks
        await queue.EvaluateAsync("() => window.seraiMark = 42");
        await jobs.EvaluateAsync("() => window.seraiMark = 42");

        var waiting = await _host.SubmitAsync(token, "i=0; while true; do i=$((i+1)); echo line $i; sleep 0.05; done", 1, "waits-then-runs");
        var row = queue.Locator($"tr[data-job=\"{waiting}\"]");
        await row.WaitForAsync(new() { Timeout = 30_000 });
        await queue.WaitForFunctionAsync(
            $"() => {{ const r = document.querySelector('tr[data-job=\"{waiting}\"]'); return r && r.closest('section').dataset.group !== 'not yet considered'; }}",
            null, new() { Timeout = 30_000 });
        var group = await row.EvaluateAsync<string>("r => r.closest('section').dataset.group");
        var reason = await row.Locator("td.reason").InnerTextAsync();
        // local.yaml's tenants have no guarantees: the job waits on its borrowing limit (quota) or on free GPUs
        Assert.True(group is "quota" or "capacity", $"group {group}: {reason}");
        Assert.False(string.IsNullOrWhiteSpace(reason));
        await BrowserFixture.ScreenshotAsync(queue, "queue");
        await Axe.AssertNoSeriousViolationsAsync(queue);
        var jobRow = jobs.Locator($"tr[data-job=\"{waiting}\"]");
        await jobRow.WaitForAsync(new() { Timeout = 30_000 });
        Assert.Contains("pending", await jobRow.Locator(".badge").InnerTextAsync(), StringComparison.Ordinal);

        await CancelAsync(blocker);
        await jobs.Locator($"tr[data-job=\"{waiting}\"] .badge.run").WaitForAsync(new() { Timeout = 45_000 });
        await queue.Locator($"tr[data-job=\"{waiting}\"]").WaitForAsync(new() { State = Microsoft.Playwright.WaitForSelectorState.Detached, Timeout = 30_000 });
        Assert.Equal(42, await queue.EvaluateAsync<int>("() => window.seraiMark"));
        Assert.Equal(42, await jobs.EvaluateAsync<int>("() => window.seraiMark"));
        Assert.Contains("cancelled", await jobs.Locator($"tr[data-job=\"{blocker}\"] .badge").InnerTextAsync(), StringComparison.Ordinal);

        // the job page: timeline from the audit, usage, and a log that follows only while the reader is at the bottom
        var page = jobs;
        await page.GotoAsync($"/jobs/{waiting}");
        await page.WaitForFunctionAsync("() => document.getElementById('log').textContent.split('\\n').length > 40", null, new() { Timeout = 30_000 });
        Assert.True(await page.EvaluateAsync<bool>("() => { const l = document.getElementById('log'); return l.scrollHeight - l.scrollTop - l.clientHeight < 8; }"), "the log follows its end");
        await page.EvaluateAsync("() => { const l = document.getElementById('log'); l.scrollTop = 0; l.dispatchEvent(new Event('scroll')); }");
        var before = await page.EvaluateAsync<int>("() => document.getElementById('log').textContent.length");
        await page.WaitForFunctionAsync($"() => document.getElementById('log').textContent.length > {before} + 200", null, new() { Timeout = 20_000 });
        Assert.Equal(0, await page.EvaluateAsync<int>("() => document.getElementById('log').scrollTop"));
        Assert.False(await page.IsCheckedAsync("#log-follow"));
        Assert.True(await page.Locator("svg.timeline circle.mark").CountAsync() >= 2);
        Assert.Contains("place", await page.Locator("ol.events").InnerTextAsync(), StringComparison.Ordinal);
        await BrowserFixture.ScreenshotAsync(page, "job");
        await Axe.AssertNoSeriousViolationsAsync(page);
        await CancelAsync(waiting);

        // failed jobs look failed, and the filters live in the URL
        var failing = await _host.SubmitAsync(DashboardHost.TenantToken("default"), "echo bye; exit 3", 1, "fails");
        await WaitForStateAsync(failing, "failed");
        await page.GotoAsync("/jobs?state=failed");
        var failed = page.Locator($"tr.state-failed[data-job=\"{failing}\"] .badge.bad");
        await failed.WaitForAsync();
        Assert.Contains("✗ failed", await failed.InnerTextAsync(), StringComparison.Ordinal);
        Assert.Equal("failed", await page.Locator("select[name=state]").InputValueAsync());
        Assert.Equal(1, await page.Locator("table.jobs tbody tr").CountAsync());
    }
}
