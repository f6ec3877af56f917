using Serai.Server.Apis;
using Serai.Server.Auth;
using Serai.Server.Control;
using Serai.Server.Dashboard.Pages;
using Serai.Server.Persistence;

namespace Serai.Server.Dashboard;

/// <summary>The dashboard's pages at `/`: server-rendered HTML; signed-out browsers are sent to `/signin`.</summary>
public static class DashboardEndpoints
{
    public static IEndpointRouteBuilder MapDashboard(this IEndpointRouteBuilder app)
    {
        app.MapSignIn().MapDashboardEvents();
        var pages = app.MapGroup("").AllowAnonymous().ExcludeFromDescription();
        pages.MapGet("/", async (HttpContext c, ControlLoop loop, DashboardQueries q, TimeProvider time) => await Signed(c, async v =>
            Page("Hub overview", "/", v, Layout.Live("/", await OverviewPage.RenderAsync(v, loop.Snapshot, q, Now(time), c.RequestAborted)))));
        pages.MapGet("/sites/{name}", async (HttpContext c, string name, string? hours, ControlLoop loop, SeriesStore store, DashboardQueries q, TimeProvider time) => await Signed(c, async v =>
        {
            var site = loop.Snapshot.Sites.FirstOrDefault(s => string.Equals(s.Name, name, StringComparison.OrdinalIgnoreCase));
            if (site is null)
            {
                return Results.Problem(statusCode: 404, title: "site not found", detail: $"name: no site '{ApiIds.Trim(name)}' in this hub");
            }
            var h = 6;
            if (hours is not null && (!int.TryParse(hours, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out h) || !SitePage.RangesHours.Contains(h)))
            {
                return Problems.Field("hours", $"'{ApiIds.Trim(hours)}' is not a range; allowed: {string.Join(", ", SitePage.RangesHours)}");
            }
            return Page($"Site {site.Name}", "/", v, await SitePage.RenderAsync(v, site, h, store, q, Now(time), c.RequestAborted));
        }));
        pages.MapGet("/capacity", async (HttpContext c, HubHolder hubs, SeraiDatabase db) => await Signed(c, async v =>
            Page("Capacity", "/capacity", v, Layout.Live("/capacity", await CapacityPage.RenderAsync(v, hubs.Hub, db, c.RequestAborted)))));
        pages.MapGet("/queue", async (HttpContext c, JobStore jobs, ControlLoop loop, TimeProvider time) => await Signed(c, async v =>
            Page("Queue", "/queue", v, Layout.Live("/queue", await QueuePage.RenderAsync(v, jobs, loop, Now(time), c.RequestAborted)))));
        pages.MapGet("/jobs", async (HttpContext c, string? state, string? tenant, string? priority, string? name, string? before, HubHolder hubs, JobStore jobs, ControlLoop loop) => await Signed(c, async v =>
        {
            var query = new JobsPage.Query(state, tenant, priority, name, before);
            var (filter, errors) = JobsPage.Parse(query, v, hubs.Hub);
            return filter is null ? errors.ToProblem("invalid job filter") : Page("Jobs", "/jobs", v, await JobsPage.RenderAsync(v, query, filter, hubs.Hub, jobs, loop, c.RequestAborted));
        }));
        pages.MapGet("/jobs/{id}", async (HttpContext c, string id, JobStore jobs, ControlLoop loop, AuditStore audit, DashboardQueries q, TimeProvider time) => await Signed(c, async v =>
        {
            var found = await JobsApi.FindAsync(c, id, jobs);
            if (found.Invalid is { } invalid)
            {
                return invalid;
            }
            if (found.Missing is { } missing)
            {
                return missing;
            }
            var row = found.Row!;
            var live = Layout.Live($"/jobs/{row.Id}", await JobPage.RenderAsync(row, loop, audit, q, Now(time), c.RequestAborted));
            return Page($"Job {row.Id}", "/jobs", v, live + JobPage.Log(row.Id));
        }));
        pages.MapGet("/tenants", async (HttpContext c, ControlLoop loop, UsageStore usage, TimeProvider time) => await Signed(c, async v =>
        {
            var (rows, month) = await TenantsPage.LoadAsync(v, loop.Snapshot, usage, time.GetUtcNow(), c.RequestAborted);
            return Page("Tenants", "/tenants", v, Layout.Live("/tenants", TenantsPage.Render(rows, month)));
        }));
        pages.MapGet("/tenants.csv", async (HttpContext c, ControlLoop loop, UsageStore usage, TimeProvider time) => await Signed(c, async v =>
        {
            var (rows, month) = await TenantsPage.LoadAsync(v, loop.Snapshot, usage, time.GetUtcNow(), c.RequestAborted);
            c.Response.Headers.ContentDisposition = $"attachment; filename=\"serai-tenants-{month:yyyy-MM}.csv\"";
            return Results.Text(TenantsPage.Csv(rows, month), "text/csv; charset=utf-8");
        }));
        pages.MapGet("/ai-systems", (HttpContext c, HubHolder hubs, string? approved) => Signed(c, v =>
            Task.FromResult(Page("AI systems", "/ai-systems", v, RegistryPage.Render(v, hubs.Hub, hubs.AiSystems, approved is null ? null : $"Approved {approved}.")))));
        app.MapPost("/ai-systems/{id}/approve", async (string id, HubHolder hubs, GroupCommitWriter writer, ControlLoop loop, TimeProvider time) =>
        {
            // the admin policy and the anti-forgery check (in the authentication handler) guard this form post
            return await AiSystemsApi.ApproveAsync(id, hubs, writer, loop, time) is null
                ? AiSystemsApi.NotRegistered(id)
                : Results.Redirect("/ai-systems" + Html.Query(("approved", id)));
        }).RequireAuthorization(Caller.AdminPolicy).ExcludeFromDescription();
        pages.MapGet("/audit", async (HttpContext c, string? kind, string? job, string? tenant, string? before, HubHolder hubs, AuditStore audit) => await Signed(c, async v =>
        {
            var query = new AuditPage.Query(kind, job, tenant, before);
            var (jobId, cursor, errors) = AuditPage.Parse(query, hubs.Hub);
            return errors.Any ? errors.ToProblem("invalid audit filter") : Page("Audit log", "/audit", v, await AuditPage.RenderAsync(v, query, jobId, cursor, audit, c.RequestAborted));
        }));
        return app;
    }

    private static long Now(TimeProvider time) => time.GetUtcNow().ToUnixTimeSeconds();

    private static IResult Page(string title, string active, Viewer viewer, string body) =>
        Results.Content(Layout.Page(title, active, viewer, body), "text/html; charset=utf-8");

    /// <summary>Runs a page for a signed-in viewer; sends anyone else to the sign-in page (and back here after).</summary>
    private static async Task<IResult> Signed(HttpContext context, Func<Viewer, Task<IResult>> page)
    {
        if (context.User.Identity?.IsAuthenticated != true)
        {
            var signIn = "/signin" + Html.Query(("return", context.Request.Path + context.Request.QueryString));
            if (context.Request.Headers.ContainsKey("HX-Request"))
            {
                // a live region whose session lapsed: htmx sends the whole page to sign in, rather than swapping in the form
                context.Response.Headers["HX-Redirect"] = signIn;
                return Results.NoContent();
            }
            return Results.Redirect(signIn);
        }
        context.Response.Headers.CacheControl = "no-store";
        var session = context.Items[typeof(DashboardSession)] as DashboardSession;
        return await page(new Viewer(Caller.From(context.User), session?.CsrfToken ?? ""));
    }
}
