using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Serai.Core.Model;
using Serai.Server.Auth;
using Serai.Server.Control;
using Serai.Server.Persistence;

namespace Serai.Server.Apis;

/// <summary>`/api/v1/ai-systems`: the AI-system registry; tenants register their systems, only the admin approves.</summary>
public static class AiSystemsApi
{
    /// <summary>A registry entry as the API shows it.</summary>
    public sealed record AiSystemView(string Id, string Owner, string Risk, bool Approved, bool MayRun);

    /// <summary>Body of a registration.</summary>
    public sealed record RegisterBody(string Id, string Risk, string? Owner = null);

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
        group.MapPost("/{id}/approve", ApproveAsync).RequireAuthorization(Caller.AdminPolicy).WithSummary("Approve an AI system (admin)")
            .WithName("ApproveAiSystem").ProducesProblem(StatusCodes.Status401Unauthorized).ProducesProblem(StatusCodes.Status403Forbidden);
        return api;
    }

    private static AiSystemView View(HubModel hub, AiSystem a) =>
        new(a.Id, hub.Tenants[a.OwnerTenant].Name, a.Risk.ToString().ToLowerInvariant(), a.Approved, a.MayRun);

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
        var row = new AiSystemRow(id!, ownerName, risk.ToString().ToLowerInvariant(), false, now, null);
        try
        {
            await writer.WriteAsync((c, t) =>
            {
                AiSystemStore.Insert(c, t, row);
                AuditStore.Append(c, t, now, "ai-register", null, ownerName, risk.ToString(), $"AI system {id} registered by {caller.Name} as {row.Risk} risk");
            });
        }
        catch (System.Data.Common.DbException)
        {
            // two registrations of one id at once: the database keeps the first
            return TypedResults.Conflict(new ProblemDetails { Status = 409, Title = "already registered", Detail = $"AI system '{id}' is already registered" });
        }
        await RegistryChanged.ApplyAsync(loop);
        return TypedResults.Created($"/api/v1/ai-systems/{id}", new AiSystemView(id!, ownerName, row.Risk, false, risk != RiskClass.High));
    }

    internal static async Task<Results<Ok<AiSystemView>, NotFound<ProblemDetails>>> ApproveAsync(
        string id, HubHolder hubs, GroupCommitWriter writer, ControlLoop loop, TimeProvider time)
    {
        var hub = hubs.Hub;
        if (hubs.AiSystems.IndexOf(id) is not { } index)
        {
            return TypedResults.NotFound(new ProblemDetails { Status = 404, Title = "AI system not found", Detail = $"no AI system '{ApiIds.Trim(id)}' is registered" });
        }
        var system = hubs.AiSystems[index];
        var owner = hub.Tenants[system.OwnerTenant].Name;
        var now = time.GetUtcNow().ToUnixTimeSeconds();
        await writer.WriteAsync((c, t) =>
        {
            if (!AiSystemStore.Approve(c, t, system.Id, now))
            {
                AiSystemStore.Insert(c, t, new AiSystemRow(system.Id, owner, system.Risk.ToString().ToLowerInvariant(), true, now, now));
            }
            AuditStore.Append(c, t, now, "ai-approve", null, owner, system.Risk.ToString(), $"AI system {system.Id} ({system.Risk} risk) approved by admin");
        });
        await RegistryChanged.ApplyAsync(loop);
        return TypedResults.Ok(View(hub, system with { Approved = true }));
    }
}
