using System.Data.Common;
using Dapper;

namespace Serai.Server.Persistence;

/// <summary>An audit record: a placement, preemption, rejection, throttle, deferral, cancel or registry change.</summary>
public sealed record AuditEntry(long Id, long AtUnix, string Kind, long? JobId, string? Tenant, string? Code, string Message);

/// <summary>The append-only audit log.</summary>
public sealed class AuditStore(SeraiDatabase database)
{
    /// <summary>Every kind of entry the audit trail holds: the runtime's job moves, then the server's own.</summary>
    public static readonly IReadOnlyList<string> Kinds =
        ["place", "dispatch", "start", "throttle", "defer", "reject", "preempt", "cancel", "stop", "end", "requeue", "dispatch-failed", "lost", "site", "ai-register", "ai-approve", "operation"];

    public static void Append(DbConnection c, DbTransaction t, long atUnix, string kind, long? jobId, string? tenant, string? code, string message) =>
        c.Execute(
            "insert into audit (at_unix, kind, job_id, tenant, code, message) values (@atUnix, @kind, @jobId, @tenant, @code, @message)",
            new { atUnix, kind, jobId, tenant, code, message }, t);

    public async Task<IReadOnlyList<AuditEntry>> ListAsync(string? tenant, long? jobId, string? kind, long? beforeId, int limit, CancellationToken cancellationToken)
    {
        var where = new List<string>();
        if (tenant is not null) where.Add("tenant = @tenant");
        if (jobId is not null) where.Add("job_id = @jobId");
        if (kind is not null) where.Add("kind = @kind");
        if (beforeId is not null) where.Add("id < @beforeId");
        var sql = $"select id, at_unix, kind, job_id, tenant, code, message from audit {(where.Count > 0 ? "where " + string.Join(" and ", where) : "")} order by id desc limit {limit}";
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        var rows = await connection.QueryAsync<AuditRow>(new CommandDefinition(sql, new { tenant, jobId, kind, beforeId }, cancellationToken: cancellationToken)).ConfigureAwait(false);
        return rows.Select(r => new AuditEntry(r.Id, r.AtUnix, r.Kind, r.JobId, r.Tenant, r.Code, r.Message)).ToList();
    }

    private sealed class AuditRow
    {
        public long Id { get; set; }
        public long AtUnix { get; set; }
        public string Kind { get; set; } = "";
        public long? JobId { get; set; }
        public string? Tenant { get; set; }
        public string? Code { get; set; }
        public string Message { get; set; } = "";
    }
}
