using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using Serai.Server.Auth;
using Serai.Server.Control;
using Serai.Server.Operations;

namespace Serai.Server.Apis;

/// <summary>
/// Live site operations (admin): overrides of a site's temperature or caps with an end time, drains and resumes of a
/// node, pool or site, sites down and up, vendor cut-offs, each audited with who and why; measured conditions fed by a
/// building-management system; `GET /api/v1/operations` for what is in force and the history.
/// </summary>
public static class OperationsApi
{
    /// <summary>An action as the API answers it, with the sentence the audit trail holds.</summary>
    public sealed record ActionView(long Id, long AtUnix, string Actor, string Action, string Target, string? Mode, long? UntilUnix, OverrideValues? Values, string Reason, string Text);

    /// <summary>What is in force, and the latest actions (newest first).</summary>
    public sealed record OperationsView(OperatorView InForce, IReadOnlyList<ActionView> History);

    /// <summary>Body of a drain, resume, down, up, cut or restore.</summary>
    public sealed record ActionBody(string Reason, string? Mode = null, string? By = null);

    /// <summary>Body of an override: at least one value; an end time as `untilUnix` or `forSeconds`.</summary>
    public sealed record OverrideBody(string Reason, double? TemperatureC = null, double? TemperatureOffsetC = null, double? ItCapWatts = null,
        double? GridWatts = null, long? UntilUnix = null, long? ForSeconds = null, string? By = null);

    /// <summary>Body of a measured reading; at least one figure.</summary>
    public sealed record ConditionsBody(double? OutdoorTemperatureC = null, double? ItPowerWatts = null, double? FacilityPowerWatts = null, long? AtUnix = null);

    /// <summary>Body of a curtailment: the facility power to reach, from when (default now) and for how long.</summary>
    public sealed record CurtailBody(double ToWatts, long ForSeconds, string? Reason = null, long? FromUnix = null, bool? DryRun = null, string? By = null);

    /// <summary>A curtailment: the plan (and, carried out, the stored action).</summary>
    public sealed record CurtailView(CurtailPlan Plan, ActionView? Action);

    /// <summary>A curtailment's report: its target against the facility power the site draws now.</summary>
    public sealed record CurtailReport(ActionView Action, CurtailPlan Plan, bool Active, double TargetFacilityWatts, double FacilityWattsNow, bool Reached, string Text);

    private const long MaxOverrideSeconds = 366L * 86400;

    public static WebApplicationBuilder AddSeraiOperations(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.Configure<OperationsOptions>(builder.Configuration.GetSection(OperationsOptions.Section));
        services.AddSingleton(sp => sp.GetRequiredService<IOptions<OperationsOptions>>().Value);
        services.AddSingleton<OperationsStore>();
        services.AddSingleton<OperationsService>();
        services.AddSingleton<ForecastService>();
        services.AddHostedService(sp => sp.GetRequiredService<OperationsService>());
        services.Configure<PrometheusFeedOptions>(builder.Configuration.GetSection(PrometheusFeedOptions.Section));
        services.AddSingleton(sp => sp.GetRequiredService<IOptions<PrometheusFeedOptions>>().Value);
        services.AddHostedService<PrometheusFeeds>();
        return builder;
    }

    public static RouteGroupBuilder MapOperationsApi(this RouteGroupBuilder api)
    {
        api.MapGet("/operations", (OperationsService operations, int? limit) =>
                TypedResults.Ok(new OperationsView(operations.View, [.. operations.History(Math.Clamp(limit ?? 50, 1, 1000)).Select(View)])))
            .WithTags("Operations").WithSummary("Operator settings in force and the latest operator actions").WithName("ListOperations");
        api.MapForecastApi();
        var admin = api.MapGroup("").WithTags("Operations").RequireAuthorization(Caller.AdminPolicy)
            .ProducesProblem(StatusCodes.Status401Unauthorized).ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status404NotFound).ProducesValidationProblem();
        admin.MapPost("/sites/{site}/override", OverrideAsync).Accepts<OverrideBody>("application/json")
            .WithSummary("Override a site's outdoor temperature, IT cap or grid connection until an end time (admin)").WithName("OverrideSite");
        admin.MapPost("/sites/{site}/override/clear", (string site, HttpContext c, HubHolder h, OperationsService o) => ActAsync(c, h, o, OperatorActions.ClearOverride, site, null, null, false))
            .Accepts<ActionBody>("application/json").WithSummary("Clear a site's override (admin)").WithName("ClearSiteOverride");
        admin.MapPost("/sites/{site}/drain", (string site, HttpContext c, HubHolder h, OperationsService o) => ActAsync(c, h, o, OperatorActions.Drain, site, null, null, true))
            .Accepts<ActionBody>("application/json").WithSummary("Drain a site: no new work; running jobs finish or are requeued (admin)").WithName("DrainSite");
        admin.MapPost("/sites/{site}/resume", (string site, HttpContext c, HubHolder h, OperationsService o) => ActAsync(c, h, o, OperatorActions.Resume, site, null, null, false))
            .Accepts<ActionBody>("application/json").WithSummary("Resume a drained site (admin)").WithName("ResumeSite");
        admin.MapPost("/sites/{site}/down", (string site, HttpContext c, HubHolder h, OperationsService o) => ActAsync(c, h, o, OperatorActions.Down, site, null, null, false))
            .Accepts<ActionBody>("application/json").WithSummary("Mark a site down: its jobs are requeued elsewhere within their rules (admin)").WithName("SiteDown");
        admin.MapPost("/sites/{site}/up", (string site, HttpContext c, HubHolder h, OperationsService o) => ActAsync(c, h, o, OperatorActions.Up, site, null, null, false))
            .Accepts<ActionBody>("application/json").WithSummary("Mark a site up again (admin)").WithName("SiteUp");
        admin.MapPost("/sites/{site}/pools/{pool}/drain", (string site, string pool, HttpContext c, HubHolder h, OperationsService o) => ActAsync(c, h, o, OperatorActions.Drain, site, pool, null, true))
            .Accepts<ActionBody>("application/json").WithSummary("Drain a pool (admin)").WithName("DrainPool");
        admin.MapPost("/sites/{site}/pools/{pool}/resume", (string site, string pool, HttpContext c, HubHolder h, OperationsService o) => ActAsync(c, h, o, OperatorActions.Resume, site, pool, null, false))
            .Accepts<ActionBody>("application/json").WithSummary("Resume a drained pool (admin)").WithName("ResumePool");
        admin.MapPost("/sites/{site}/pools/{pool}/nodes/{node}/drain", (string site, string pool, string node, HttpContext c, HubHolder h, OperationsService o) => ActAsync(c, h, o, OperatorActions.Drain, site, pool, node, true))
            .Accepts<ActionBody>("application/json").WithSummary("Drain one node of a pool (admin)").WithName("DrainNode");
        admin.MapPost("/sites/{site}/pools/{pool}/nodes/{node}/resume", (string site, string pool, string node, HttpContext c, HubHolder h, OperationsService o) => ActAsync(c, h, o, OperatorActions.Resume, site, pool, node, false))
            .Accepts<ActionBody>("application/json").WithSummary("Resume a drained node (admin)").WithName("ResumeNode");
        admin.MapPost("/vendors/{vendor}/cut", (string vendor, HttpContext c, HubHolder h, OperationsService o) => ActAsync(c, h, o, OperatorActions.VendorCut, vendor, null, null, true, vendorTarget: true))
            .Accepts<ActionBody>("application/json").WithSummary("Cut a vendor off: its pools take no new work; running jobs finish or are requeued (admin)").WithName("CutVendor");
        admin.MapPost("/vendors/{vendor}/restore", (string vendor, HttpContext c, HubHolder h, OperationsService o) => ActAsync(c, h, o, OperatorActions.VendorRestore, vendor, null, null, false, vendorTarget: true))
            .Accepts<ActionBody>("application/json").WithSummary("Restore a vendor cut off (admin)").WithName("RestoreVendor");
        admin.MapPost("/sites/{site}/curtail", CurtailAsync).Accepts<CurtailBody>("application/json")
            .WithSummary("Grid demand response: plan (dryRun) or carry out a curtailment of a site to a facility power for a time (admin)").WithName("CurtailSite");
        admin.MapGet("/sites/{site}/curtailment", Results<Ok<CurtailReport>, NotFound<ProblemDetails>> (string site, HubHolder hubs, ControlLoop loop, OperationsService operations) =>
            {
                if (hubs.Hub.SiteIndex(site) is not { } index || operations.Curtailment(index) is not { } c)
                {
                    return NotFound($"no curtailment of '{ApiIds.Trim(site)}' stored");
                }
                var now = loop.Snapshot.Sites[index];
                var target = c.Plan.TargetFacilityWatts;
                var active = loop.Snapshot.AtUnix >= c.Plan.FromUnix && loop.Snapshot.AtUnix < c.Plan.UntilUnix;
                var reached = now.FacilityWatts <= target + 1e-3;
                var text = $"{now.Name}: {WaitExplainer.Power(now.FacilityWatts)} of facility power against a target of {WaitExplainer.Power(target)}"
                    + $" ({(reached ? "reached" : "not reached")}{(active ? "" : ", curtailment not in force now")}); planned {WaitExplainer.Power(c.Plan.FacilityWattsReached)}";
                return TypedResults.Ok(new CurtailReport(View(c.Action), c.Plan, active, target, now.FacilityWatts, reached, text));
            })
            .WithSummary("The last curtailment of a site: target against the facility power reached (admin)").WithName("SiteCurtailment");
        admin.MapGet("/curtailments", (OperationsService operations, int? limit) =>
                TypedResults.Ok(operations.Curtailments(Math.Clamp(limit ?? 50, 1, 1000)).Select(c => new CurtailView(c.Plan, View(c.Action))).ToList()))
            .WithSummary("Stored curtailments with their plans, newest first (admin)").WithName("ListCurtailments");
        admin.MapPost("/sites/{site}/conditions", ConditionsAsync).Accepts<ConditionsBody>("application/json")
            .WithSummary("Feed measured outdoor temperature, IT power and facility power of a site (admin token of a building-management system)").WithName("FeedSiteConditions");
        return api;
    }

    private static ActionView View(OperatorAction a) => new(a.Id, a.AtUnix, a.Actor, a.Action, a.Target, a.Mode, a.UntilUnix, a.Values, a.Reason, a.Describe());

    private static async Task<Results<Ok<ActionView>, ValidationProblem, NotFound<ProblemDetails>>> ActAsync(
        HttpContext context, HubHolder hubs, OperationsService operations, string action, string site, string? pool, string? node, bool hasMode, bool vendorTarget = false)
    {
        var (target, missing) = vendorTarget ? OperatorTarget.ResolveVendor(hubs.Hub, site) : OperatorTarget.Resolve(hubs.Hub, site, pool, node);
        if (target is null)
        {
            return NotFound(missing!);
        }
        var (body, invalid) = await ReadObjectAsync(context, $"invalid {action}");
        if (invalid is not null)
        {
            return invalid;
        }
        var errors = new FieldErrors();
        var f = new JsonFields(body, errors);
        f.RejectUnknown(hasMode ? ["reason", "by", "mode"] : ["reason", "by"]);
        var reason = f.Text("reason", 500, required: true);
        var by = f.Text("by", 128);
        var mode = hasMode ? f.Text("mode", 16) ?? DrainModes.Finish : null;
        if (mode is not null and not (DrainModes.Finish or DrainModes.Requeue))
        {
            errors.Add("mode", $"'{ApiIds.Trim(mode)}' is not a drain mode; allowed: {DrainModes.Allowed}");
        }
        if (errors.Any)
        {
            return errors.ToProblem($"invalid {action}");
        }
        var draft = new OperatorAction(0, Now(context), Actor(context, by), action, target.Text(hubs.Hub), mode, null, null, reason!);
        return TypedResults.Ok(View(await operations.PerformAsync(draft, target)));
    }

    private static async Task<Results<Ok<ActionView>, ValidationProblem, NotFound<ProblemDetails>>> OverrideAsync(
        string site, HttpContext context, HubHolder hubs, OperationsService operations)
    {
        var (target, missing) = OperatorTarget.Resolve(hubs.Hub, site);
        if (target is null)
        {
            return NotFound(missing!);
        }
        var (body, invalid) = await ReadObjectAsync(context, "invalid override");
        if (invalid is not null)
        {
            return invalid;
        }
        var errors = new FieldErrors();
        var f = new JsonFields(body, errors);
        f.RejectUnknown(["reason", "by", "temperatureC", "temperatureOffsetC", "itCapWatts", "gridWatts", "untilUnix", "forSeconds"]);
        var reason = f.Text("reason", 500, required: true);
        var by = f.Text("by", 128);
        var now = Now(context);
        var values = new OverrideValues(f.Number("temperatureC", SiteFigureRanges.MinTemperatureC, SiteFigureRanges.MaxTemperatureC), f.Number("temperatureOffsetC", -40, 40),
            f.Number("itCapWatts", 0, SiteFigureRanges.MaxWatts), f.Number("gridWatts", 0, SiteFigureRanges.MaxWatts));
        var until = f.Integer("untilUnix", now + 1, now + MaxOverrideSeconds);
        var forSeconds = f.Integer("forSeconds", 1, MaxOverrideSeconds);
        if (values == new OverrideValues() && !errors.Any)
        {
            errors.Add("body", "give at least one of temperatureC, temperatureOffsetC, itCapWatts, gridWatts");
        }
        if (values.TemperatureC is not null && values.TemperatureOffsetC is not null)
        {
            errors.Add("temperatureOffsetC", "give either temperatureC (an outdoor temperature) or temperatureOffsetC (degrees added to the model), not both");
        }
        if (until is not null && forSeconds is not null)
        {
            errors.Add("forSeconds", "give either untilUnix or forSeconds, not both");
        }
        if (errors.Any)
        {
            return errors.ToProblem("invalid override");
        }
        var draft = new OperatorAction(0, now, Actor(context, by), OperatorActions.Override, target.Text(hubs.Hub), null,
            until ?? (forSeconds is { } s ? now + s : null), values, reason!);
        return TypedResults.Ok(View(await operations.PerformAsync(draft, target)));
    }

    private static async Task<Results<Ok<CurtailView>, ValidationProblem, NotFound<ProblemDetails>>> CurtailAsync(
        string site, HttpContext context, HubHolder hubs, OperationsService operations)
    {
        var (target, missing) = OperatorTarget.Resolve(hubs.Hub, site);
        if (target is null)
        {
            return NotFound(missing!);
        }
        var (body, invalid) = await ReadObjectAsync(context, "invalid curtailment");
        if (invalid is not null)
        {
            return invalid;
        }
        var errors = new FieldErrors();
        var f = new JsonFields(body, errors);
        f.RejectUnknown(["toWatts", "fromUnix", "forSeconds", "dryRun", "reason", "by"]);
        var now = Now(context);
        var to = f.Number("toWatts", 0, SiteFigureRanges.MaxWatts);
        if (to is null && !f.Has("toWatts"))
        {
            errors.Add("toWatts", "is required: the facility power to bring the site to, in watts");
        }
        var from = f.Integer("fromUnix", now - 60, now + MaxOverrideSeconds) ?? now;
        var duration = f.Integer("forSeconds", 60, 7 * 86400, required: true);
        var dryRun = f.Boolean("dryRun") ?? false;
        var reason = f.Text("reason", 500, required: !dryRun);
        var by = f.Text("by", 128);
        if (errors.Any)
        {
            return errors.ToProblem("invalid curtailment");
        }
        from = Math.Max(from, now);
        var until = from + duration!.Value;
        var plan = await operations.PlanAsync(target.Site, to!.Value, from, until);
        if (dryRun)
        {
            return TypedResults.Ok(new CurtailView(plan, null));
        }
        var draft = new OperatorAction(0, now, Actor(context, by), OperatorActions.Curtail, target.Text(hubs.Hub), null, until,
            new OverrideValues(GridWatts: to) { FromUnix = from > now ? from : null }, reason!);
        return TypedResults.Ok(new CurtailView(plan, View(await operations.CurtailAsync(draft, target, plan))));
    }

    private static async Task<Results<Accepted<SiteSources>, ValidationProblem, NotFound<ProblemDetails>>> ConditionsAsync(
        string site, HttpContext context, HubHolder hubs, OperationsService operations)
    {
        if (hubs.Hub.SiteIndex(site) is not { } index)
        {
            return NotFound($"no site '{ApiIds.Trim(site)}' in this hub; sites: {string.Join(", ", hubs.Hub.Sites.Select(x => x.Name))}");
        }
        var (body, invalid) = await ReadObjectAsync(context, "invalid reading");
        if (invalid is not null)
        {
            return invalid;
        }
        var errors = new FieldErrors();
        var f = new JsonFields(body, errors);
        f.RejectUnknown(["outdoorTemperatureC", "itPowerWatts", "facilityPowerWatts", "atUnix"]);
        var now = Now(context);
        var temperature = f.Number("outdoorTemperatureC", SiteFigureRanges.MinTemperatureC, SiteFigureRanges.MaxTemperatureC);
        var it = f.Number("itPowerWatts", 0, SiteFigureRanges.MaxWatts);
        var facility = f.Number("facilityPowerWatts", 0, SiteFigureRanges.MaxWatts);
        var at = f.Integer("atUnix", 0, now + 60) ?? now;
        if (temperature is null && it is null && facility is null && !errors.Any)
        {
            errors.Add("body", "give at least one of outdoorTemperatureC, itPowerWatts, facilityPowerWatts");
        }
        if (it is { } i && facility is { } fw && fw < i)
        {
            errors.Add("facilityPowerWatts", $"{fw} W is below the IT power {i} W; facility power includes IT power");
        }
        if (errors.Any)
        {
            return errors.ToProblem("invalid reading");
        }
        await operations.RecordAsync(index, Math.Min(at, now), temperature, it, facility);
        return TypedResults.Accepted($"/api/v1/sites/{hubs.Hub.Sites[index].Name}", operations.Sources[index]);
    }

    private static async Task<(JsonElement Body, ValidationProblem? Invalid)> ReadObjectAsync(HttpContext context, string title)
    {
        var (body, invalid) = await JsonBody.ReadAsync(context, title);
        if (invalid is not null)
        {
            return (body, invalid);
        }
        return body.ValueKind == JsonValueKind.Object ? (body, null) : (body, FieldErrors.One("body", $"expected a JSON object, got {body.ValueKind}", title));
    }

    private static NotFound<ProblemDetails> NotFound(string detail) => TypedResults.NotFound(new ProblemDetails { Status = 404, Title = "not found", Detail = detail });

    private static long Now(HttpContext context) => context.RequestServices.GetRequiredService<TimeProvider>().GetUtcNow().ToUnixTimeSeconds();

    /// <summary>Who acted: the person named in `by` (the CLI sends the login name) and the token's role.</summary>
    private static string Actor(HttpContext context, string? by)
    {
        var caller = Caller.From(context.User).Name;
        return by is null ? caller : $"{by} ({caller} token)";
    }
}
