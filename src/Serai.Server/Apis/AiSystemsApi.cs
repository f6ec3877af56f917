using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Serai.Core.Model;
using Serai.Server.Auth;
using Serai.Server.Control;
using Serai.Server.Persistence;

namespace Serai.Server.Apis;

/// <summary>
/// `/api/v1/ai-systems`: the AI-system registry; tenants register their systems with the risk class they declare, and
/// only the admin approves, confirming or setting the class. A tenant's system runs only after that.
/// </summary>
public static class AiSystemsApi
{
    /// <summary>A registry entry as the API shows it; <c>RiskConfirmed</c> is false while a tenant's declared class waits for the admin.</summary>
    public sealed record AiSystemView(string Id, string Owner, string Risk, bool Approved, bool MayRun, bool RiskConfirmed);

    /// <summary>Body of a registration.</summary>
    public sealed record RegisterBody(string Id, string Risk, string? Owner = null);

    /// <summary>Optional body of an approval: the risk class the admin confirms or sets (default: the declared one).</summary>
    public sealed record ApproveBody(string? Risk = null);

    public static RouteGroupBuilder MapAiSystemsApi(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("/ai-systems").WithTags("AI systems");
        group.MapGet("/", (HttpContext context, HubHolder hubs) =>
        {
            var caller = Caller.From(context.User);
            var hub = hubs.Hub;
            return TypedResults.Ok(hubs.AiSystems.Systems.Where(a => caller.MaySee(hub.Tenants[a.OwnerTenant].Name)).Select(a => View(hub, a)).ToList());
        }).WithSummary("Registered AI systems").WithName("ListAiSystems").ProducesProblem(StatusCodes.Status401Unauthorized);
        group.MapPost("/", RegisterAsync).Accepts<RegisterBody>("application/json").ProducesValidationProblem().WithSummary("Register an AI system")
            .WithName("RegisterAiSystem").ProducesProblem(StatusCodes.Status401Unauthorized);
        group.MapPost("/{id}/approve", ApproveRequestAsync).RequireAuthorization(Caller.AdminPolicy).Accepts<ApproveBody>("application/json")
            .WithSummary("Approve an AI system, confirming or setting its risk class (admin)").ProducesValidationProblem()
            .WithName("ApproveAiSystem").ProducesProblem(StatusCodes.Status401Unauthorized).ProducesProblem(StatusCodes.Status403Forbidden);
        return api;
    }

    private static AiSystemView View(HubModel hub, AiSystem a) =>
        new(a.Id, hub.Tenants[a.OwnerTenant].Name, a.Risk.ToString().ToLowerInvariant(), a.Approved, a.MayRun, a.ClassConfirmed);

    private static async Task<Results<Created<AiSystemView>, ValidationProblem, Conflict<ProblemDetails>>> RegisterAsync(
        HttpContext context, HubHolder hubs, GroupCommitWriter writer, ControlLoop loop, TimeProvider time)
    {
        var caller = Caller.From(context.User);
        var errors = new FieldErrors();
        var (body, invalid) = await JsonBody.ReadAsync(context, "invalid AI-system registration");
        if (invalid is not null)
        {
            return invalid;
        }
        if (body.ValueKind != JsonValueKind.Object)
        {
            return FieldErrors.One("body", $"expected a JSON object, got {body.ValueKind}", "invalid AI-system registration");
        }
        var f = new JsonFields(body, errors);
        f.RejectUnknown(["id", "risk", "owner"]);
        var id = f.Text("id", 128, required: true);
        var riskText = f.Text("risk", 16, required: true);
        var owner = f.Text("owner", 128) ?? caller.Tenant;
        var hub = hubs.Hub;
        RiskClass risk = default;
        if (riskText is not null && !Enum.TryParse(riskText, true, out risk) || !Enum.IsDefined(risk))
        {
            errors.Add("risk", $"'{riskText}' is not a risk class; allowed: minimal, medium, high");
        }
        if (owner is null || hub.TenantIndex(owner) is null || !caller.MaySee(owner))
        {
            errors.Add("owner", caller.IsAdmin ? $"'{owner}' is not a tenant of this hub; the admin must name the owner" : $"'{owner}' is not your tenant");
        }
        if (errors.Any)
        {
            return errors.ToProblem("invalid AI-system registration");
        }
        if (hubs.AiSystems.IndexOf(id!) is not null)
        {
            return TypedResults.Conflict(new ProblemDetails { Status = 409, Title = "already registered", Detail = $"AI system '{id}' is already registered" });
        }
        var ownerName = hub.Tenants[hub.TenantIndex(owner!)!.Value].Name;
        var now = time.GetUtcNow().ToUnixTimeSeconds();
        // the admin's class stands (a high-risk system still needs its approval); a tenant's declared class waits for the admin
        var confirmed = caller.IsAdmin && risk != RiskClass.High;
        var row = new AiSystemRow(id!, ownerName, risk.ToString().ToLowerInvariant(), confirmed, now, confirmed ? now : null);
        var declared = caller.IsAdmin ? "" : " (declared by the tenant; waits for the admin's confirmation)";
        try
        {
            await writer.WriteAsync((c, t) =>
            {
                AiSystemStore.Insert(c, t, row);
                AuditStore.Append(c, t, now, "ai-register", null, ownerName, risk.ToString(), $"AI system {id} registered by {caller.Name} as {row.Risk} risk{declared}");
            });
        }
        catch (System.Data.Common.DbException)
        {
            // two registrations of one id at once: the database keeps the first
            return TypedResults.Conflict(new ProblemDetails { Status = 409, Title = "already registered", Detail = $"AI system '{id}' is already registered" });
        }
        await RegistryChanged.ApplyAsync(loop);
        var system = new AiSystem(-1, id!, hub.TenantIndex(ownerName)!.Value, risk, confirmed, confirmed);
        return TypedResults.Created($"/api/v1/ai-systems/{id}", View(hub, system));
    }

    private static async Task<Results<Ok<AiSystemView>, NotFound<ProblemDetails>, ValidationProblem>> ApproveRequestAsync(
        string id, HttpContext context, HubHolder hubs, GroupCommitWriter writer, ControlLoop loop, TimeProvider time)
    {
        RiskClass? risk = null;
        if (context.Request.ContentLength is not 0 && (context.Request.ContentLength is > 0 || context.Request.Headers.TransferEncoding.Count > 0))
        {
            var (body, invalid) = await JsonBody.ReadAsync(context, "invalid AI-system approval");
            if (invalid is not null)
            {
                return invalid;
            }
            if (body.ValueKind != JsonValueKind.Object)
            {
                return FieldErrors.One("body", $"expected a JSON object, got {body.ValueKind}", "invalid AI-system approval");
            }
            var errors = new FieldErrors();
            var f = new JsonFields(body, errors);
            f.RejectUnknown(["risk"]);
            if (f.Text("risk", 16) is { } text)
            {
                if (Enum.TryParse<RiskClass>(text, true, out var parsed) && Enum.IsDefined(parsed) && !text.Any(char.IsDigit))
                {
                    risk = parsed;
                }
                else
                {
                    errors.Add("risk", $"'{text}' is not a risk class; allowed: minimal, medium, high");
                }
            }
            if (errors.Any)
            {
                return errors.ToProblem("invalid AI-system approval");
            }
        }
        return await ApproveAsync(id, hubs, writer, loop, time, risk) is { } approved ? TypedResults.Ok(approved) : NotRegistered(id);
    }

    /// <summary>The answer to an id that names no registered AI system.</summary>
    internal static NotFound<ProblemDetails> NotRegistered(string id) =>
        TypedResults.NotFound(new ProblemDetails { Status = 404, Title = "AI system not found", Detail = $"no AI system '{ApiIds.Trim(id)}' is registered" });

    /// <summary>
    /// Approves the system: its class (the declared one, or <paramref name="risk"/>) is confirmed and it may run. Null
    /// when no system has this id.
    /// </summary>
    internal static async Task<AiSystemView?> ApproveAsync(
        string id, HubHolder hubs, GroupCommitWriter writer, ControlLoop loop, TimeProvider time, RiskClass? risk = null)
    {
        var hub = hubs.Hub;
        if (hubs.AiSystems.IndexOf(id) is not { } index)
        {
            return null;
        }
        var system = hubs.AiSystems[index];
        var owner = hub.Tenants[system.OwnerTenant].Name;
        var now = time.GetUtcNow().ToUnixTimeSeconds();
        var confirmed = risk ?? system.Risk;
        var riskText = confirmed.ToString().ToLowerInvariant();
        var change = confirmed == system.Risk ? $"{riskText} risk confirmed" : $"risk class set to {riskText} (declared {system.Risk.ToString().ToLowerInvariant()})";
        await writer.WriteAsync((c, t) =>
        {
            if (!AiSystemStore.Approve(c, t, system.Id, riskText, now))
            {
                AiSystemStore.Insert(c, t, new AiSystemRow(system.Id, owner, riskText, true, now, now));
            }
            AuditStore.Append(c, t, now, "ai-approve", null, owner, confirmed.ToString(), $"AI system {system.Id} approved by admin: {change}");
        });
        await RegistryChanged.ApplyAsync(loop);
        return View(hub, system with { Approved = true, ClassConfirmed = true, Risk = confirmed });
    }
}
