using Microsoft.AspNetCore.Http.HttpResults;
using Serai.Server.Auth;
using Serai.Server.Persistence;

namespace Serai.Server.Apis;

/// <summary>`/api/v1/audit`: placements, preemptions, rejections and more with their reasons; a tenant reads its own entries.</summary>
public static class AuditApi
{
    private static IReadOnlyList<string> Kinds => AuditStore.Kinds;

    /// <summary>A page of audit entries, newest first.</summary>
    public sealed record AuditPage(IReadOnlyList<AuditEntry> Items, string? Next);

    public static RouteGroupBuilder MapAuditApi(this RouteGroupBuilder api)
    {
        api.MapGet("/audit", GetAsync).WithTags("Audit").WithSummary("The audit trail, newest first; filter by job and kind")
            .WithName("ListAudit").ProducesProblem(StatusCodes.Status401Unauthorized);
        return api;
    }

    private static async Task<Results<Ok<AuditPage>, ValidationProblem>> GetAsync(
        HttpContext context, AuditStore audit, string? job, string? kind, string? limit, string? before)
    {
        var caller = Caller.From(context.User);
        var errors = new FieldErrors();
        long? jobId = null;
        if (job is not null)
        {
            if (ApiIds.TryJobId(job, out var id))
            {
                jobId = id;
            }
            else
            {
                errors.Add("job", ApiIds.JobIdError(job));
            }
        }
        if (kind is not null && !Kinds.Contains(kind))
        {
            errors.Add("kind", $"'{ApiIds.Trim(kind)}' is not an audit kind; allowed: {string.Join(", ", Kinds)}");
        }
        var size = ApiIds.Limit(limit, 100, 1000, errors);
        var cursor = ApiIds.Cursor(before, "before", errors);
        if (errors.Any)
        {
            return errors.ToProblem("invalid audit query");
        }
        var items = await audit.ListAsync(caller.IsAdmin ? null : caller.Tenant, jobId, kind, cursor, size!.Value, context.RequestAborted);
        var next = items.Count == size ? items[^1].Id.ToString(System.Globalization.CultureInfo.InvariantCulture) : null;
        return TypedResults.Ok(new AuditPage(items, next));
    }
}
