using System.Data.Common;
using System.Text.Json;
using Dapper;
using Serai.Server.Persistence;

namespace Serai.Server.Operations;

/// <summary>The operator actions table (migration 5): every action in order; the state in force is their replay.</summary>
public sealed class OperationsStore(SeraiDatabase database)
{
    private const string Columns = "id, at_unix, actor, action, target, mode, until_unix, payload, reason";

    /// <summary>Stores an action and its audit entry in the caller's transaction; returns it with its id.</summary>
    public static OperatorAction Insert(DbConnection c, DbTransaction t, OperatorAction action)
    {
        var payload = action.Values is null ? null : JsonSerializer.Serialize(action.Values);
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
