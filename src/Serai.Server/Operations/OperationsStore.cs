using System.Data.Common;
using System.Text.Json;
using Dapper;
using Serai.Server.Persistence;

namespace Serai.Server.Operations;

/// <summary>The operator actions table (migration 5): every action in order; the state in force is their replay.</summary>
public sealed class OperationsStore(SeraiDatabase database)
{
    private const string Columns = "id, at_unix, actor, action, target, mode, until_unix, payload, reason";

    /// <summary>The payload's field that keeps a curtailment's plan beside its values (migration 5's columns suffice).</summary>
    private const string PlanField = "curtailPlan";

    /// <summary>
    /// Stores an action and its audit entry in the caller's transaction; returns it with its id. A curtailment's
    /// <paramref name="plan"/> is kept in the payload beside its values, so its report survives a restart.
    /// </summary>
    public static OperatorAction Insert(DbConnection c, DbTransaction t, OperatorAction action, CurtailPlan? plan = null)
    {
        var payload = action.Values is null ? null : JsonSerializer.Serialize(action.Values);
        if (payload is not null && plan is not null && System.Text.Json.Nodes.JsonNode.Parse(payload) is System.Text.Json.Nodes.JsonObject values)
        {
            values[PlanField] = JsonSerializer.SerializeToNode(plan);
            payload = values.ToJsonString();
        }
        var id = c.ExecuteScalar<long>(
            "insert into operations (at_unix, actor, action, target, mode, until_unix, payload, reason) values (@AtUnix, @Actor, @Action, @Target, @Mode, @UntilUnix, @payload, @Reason) returning id",
            new { action.AtUnix, action.Actor, action.Action, action.Target, action.Mode, action.UntilUnix, payload, action.Reason }, t);
        var stored = action with { Id = id };
        AuditStore.Append(c, t, action.AtUnix, "operation", null, null, action.Action, stored.Describe());
        return stored;
    }

    /// <summary>Every action, oldest first (to replay), or the newest <paramref name="limit"/> first (to list).</summary>
    public IReadOnlyList<OperatorAction> Load(int? limit = null)
    {
        using var connection = database.Open();
        var sql = limit is { } n ? $"select {Columns} from operations order by id desc limit {n}" : $"select {Columns} from operations order by id";
        return connection.Query<Row>(sql).Select(r => r.ToAction()).ToList();
    }

    /// <summary>Every stored curtailment with its plan, newest first (at most <paramref name="limit"/>).</summary>
    public IReadOnlyList<(OperatorAction Action, CurtailPlan Plan)> LoadCurtailments(int limit)
    {
        using var connection = database.Open();
        var rows = connection.Query<Row>($"select {Columns} from operations where action = @action order by id desc limit {limit}", new { action = OperatorActions.Curtail });
        var found = new List<(OperatorAction, CurtailPlan)>();
        foreach (var row in rows)
        {
            if (row.Payload is not null && System.Text.Json.Nodes.JsonNode.Parse(row.Payload)?[PlanField] is { } plan && plan.Deserialize<CurtailPlan>() is { } p)
            {
                found.Add((row.ToAction(), p));
            }
        }
        return found;
    }

    private sealed class Row
    {
        public long Id { get; set; }
        public long AtUnix { get; set; }
        public string Actor { get; set; } = "";
        public string Action { get; set; } = "";
        public string Target { get; set; } = "";
        public string? Mode { get; set; }
        public long? UntilUnix { get; set; }
        public string? Payload { get; set; }
        public string Reason { get; set; } = "";

        public OperatorAction ToAction() => new(Id, AtUnix, Actor, Action, Target, Mode, UntilUnix,
            Payload is null ? null : JsonSerializer.Deserialize<OverrideValues>(Payload), Reason);
    }
}
