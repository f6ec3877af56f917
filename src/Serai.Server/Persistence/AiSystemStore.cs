using System.Data.Common;
using Dapper;
using Serai.Core.Model;

namespace Serai.Server.Persistence;

/// <summary>A registry entry as stored: systems registered over the API, and approvals of configured ones.</summary>
public sealed record AiSystemRow(string Id, string OwnerTenant, string Risk, bool Approved, long RegisteredUnix, long? ApprovedUnix);

/// <summary>The AI-system registry table, merged over the hub config's registry.</summary>
public sealed class AiSystemStore(SeraiDatabase database)
{
    public IReadOnlyList<AiSystemRow> LoadAll()
    {
        using var connection = database.Open();
        return connection.Query<(string Id, string OwnerTenant, string Risk, long Approved, long RegisteredUnix, long? ApprovedUnix)>(
                "select id, owner_tenant, risk, approved, registered_unix, approved_unix from ai_systems order by registered_unix, id")
            .Select(r => new AiSystemRow(r.Id, r.OwnerTenant, r.Risk, r.Approved != 0, r.RegisteredUnix, r.ApprovedUnix))
            .ToList();
    }

    public static void Insert(DbConnection c, DbTransaction t, AiSystemRow row) =>
        c.Execute(
            "insert into ai_systems (id, owner_tenant, risk, approved, registered_unix, approved_unix) values (@Id, @OwnerTenant, @Risk, @approved, @RegisteredUnix, @ApprovedUnix)",
            new { row.Id, row.OwnerTenant, row.Risk, approved = row.Approved ? 1L : 0L, row.RegisteredUnix, row.ApprovedUnix }, t);

    /// <summary>Approves a stored entry, confirming (or setting) its risk class; false when none is stored under this id.</summary>
    public static bool Approve(DbConnection c, DbTransaction t, string id, string risk, long now) =>
        c.Execute("update ai_systems set approved = 1, approved_unix = @now, risk = @risk where id = @id", new { id, now, risk }, t) > 0;

    /// <summary>
    /// The configured registry with stored approvals applied and registered systems appended. A registered system's class
    /// counts once the admin has confirmed it: the admin's own registrations of minimal and medium systems are stored
    /// approved, a tenant's stay unconfirmed until approved.
    /// </summary>
    public static AiSystemRegistry Merge(HubModel configured, IReadOnlyList<AiSystemRow> rows)
    {
        var result = configured.ConfiguredAiSystems.Systems.ToList();
        foreach (var row in rows)
        {
            var existing = result.FindIndex(a => string.Equals(a.Id, row.Id, StringComparison.OrdinalIgnoreCase));
            if (existing >= 0)
            {
                result[existing] = row.Approved && Enum.TryParse<RiskClass>(row.Risk, true, out var confirmed)
                    ? result[existing] with { Approved = true, Risk = confirmed }
                    : result[existing];
                continue;
            }
            if (configured.TenantIndex(row.OwnerTenant) is { } owner && Enum.TryParse<RiskClass>(row.Risk, true, out var risk))
            {
                result.Add(new AiSystem(result.Count, row.Id, owner, risk, row.Approved, ClassConfirmed: row.Approved));
            }
        }
        return new AiSystemRegistry(result);
    }
}
