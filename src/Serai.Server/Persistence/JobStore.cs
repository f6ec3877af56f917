using System.Data.Common;
using Dapper;

namespace Serai.Server.Persistence;

/// <summary>Filters and a keyset page of the job list (newest first; <see cref="BeforeId"/> is the cursor).</summary>
public sealed record JobFilter(string? Tenant, string? State, string? Priority, string? NamePrefix, long? BeforeId, int Limit)
{
    /// <summary>Only the tasks of this array.</summary>
    public long? ArrayJobId { get; init; }

    /// <summary>Only jobs placed at this site (now or in their last attempt).</summary>
    public string? Site { get; init; }
}

/// <summary>Reads and writes of the jobs table. Writes run inside the group-commit writer's transaction.</summary>
public sealed class JobStore(SeraiDatabase database)
{
    private const string Columns = "id, tenant, name, state, priority, gpus, idempotency_key, request_hash, spec, submit_unix, admitted_unix, started_unix, ended_unix, not_before_unix, exit_code, reason, placement, power_fraction, backend_handle, site, pool, preemptions, updated_unix, attempt, accounted_until_unix, stop_cause, first_started_unix, array_job_id";

    private const int RowsPerInsert = 200;

    /// <summary>Job ids a PostgreSQL server takes at a time (<see cref="FirstId"/>).</summary>
    private const long IdBlock = 1000;

    private readonly Lock _idGate = new();
    private long _nextId = 1;
    private long _lastReservedId;

    /// <summary>
    /// Inserts new jobs in multi-row statements; a job whose tenant already used its idempotency key (before, or
    /// earlier in this batch) is not inserted: the existing job is returned with Created = false.
    /// </summary>
    public IReadOnlyList<(JobRow Job, bool Created)> InsertOrFind(DbConnection connection, DbTransaction transaction, IReadOnlyList<JobRow> jobs,
        Action<IReadOnlyList<JobRow>>? idsAssigned = null)
    {
        var results = new (JobRow Job, bool Created)[jobs.Count];
        var existing = new Dictionary<(string Tenant, string Key), JobRow>();
        var keys = jobs.Where(j => j.IdempotencyKey is not null).Select(j => j.IdempotencyKey!).Distinct().ToList();
        if (keys.Count > 0)
        {
            // Dapper expands a list for SQLite; Npgsql takes it as one array parameter
            var match = database.Kind == DatabaseKind.Postgres ? "= any(@keys)" : "in @keys";
            foreach (var row in connection.Query<JobRow>($"select {Columns} from jobs where idempotency_key {match}", new { keys = keys.ToArray() }, transaction))
            {
                existing[(row.Tenant, row.IdempotencyKey!)] = row;
            }
        }
        var fresh = new List<JobRow>(jobs.Count);
        for (var i = 0; i < jobs.Count; i++)
        {
            var job = jobs[i];
            if (job.IdempotencyKey is { } key && existing.TryGetValue((job.Tenant, key), out var found))
            {
                results[i] = (found, false);
                continue;
            }
            if (job.IdempotencyKey is { } newKey)
            {
                existing[(job.Tenant, newKey)] = job;
            }
            fresh.Add(job);
            results[i] = (job, true);
        }
        if (fresh.Count > 0)
        {
            var first = FirstId(connection, transaction, fresh.Count);
            for (var i = 0; i < fresh.Count; i++)
            {
                fresh[i].Id = first + i;
            }
        }
        idsAssigned?.Invoke(fresh);
        InsertRows(connection, transaction, fresh);
        return results;
    }

    /// <summary>
    /// The first of <paramref name="count"/> consecutive new job ids. Ids come from the database, so that several
    /// servers on one database never hand out the same one. SQLite (one server): counted in the batch's own transaction.
    /// PostgreSQL: taken in blocks of <see cref="IdBlock"/> committed on their own connection, which saves the batch a
    /// round trip; a block is never given back, so an id is never handed out twice even when a batch rolls back (its
    /// ids are skipped), and a new leader's block lies above every id an earlier one took.
    /// </summary>
    private long FirstId(DbConnection connection, DbTransaction transaction, int count)
    {
        const string take = "update sequences set value = value + @n where name = 'jobs' returning value";
        if (database.Kind != DatabaseKind.Postgres)
        {
            return connection.ExecuteScalar<long>(take, new { n = (long)count }, transaction) - count + 1;
        }
        lock (_idGate)
        {
            if (_lastReservedId - _nextId + 1 < count)
            {
                var size = Math.Max(count, IdBlock);
                using var own = database.Open();
                _lastReservedId = own.ExecuteScalar<long>(take, new { n = size });
                _nextId = _lastReservedId - size + 1;
            }
            var first = _nextId;
            _nextId += count;
            return first;
        }
    }

    // a new job has only these columns set; the rest stay null until the control loop moves it
    private static readonly string[] InsertColumns =
        ["id", "tenant", "name", "state", "priority", "gpus", "idempotency_key", "request_hash", "spec", "submit_unix", "updated_unix", "array_job_id"];

    private static object?[] InsertValues(JobRow r) =>
        [r.Id, r.Tenant, r.Name, r.State, r.Priority, r.Gpus, r.IdempotencyKey, r.RequestHash, r.Spec, r.SubmitUnix, r.SubmitUnix, r.ArrayJobId];

    /// <summary>
    /// SQLite: one prepared one-row statement run per job (SQLite finds a named parameter by a linear search, so a
    /// statement of many rows costs the square of its parameters); PostgreSQL: statements of many rows, one round trip
    /// each. The command is built here rather than through Dapper, which checks every name it adds against the whole list.
    /// </summary>
    private void InsertRows(DbConnection connection, DbTransaction transaction, IReadOnlyList<JobRow> rows)
    {
        var rowsPerStatement = database.Kind == DatabaseKind.Sqlite ? 1 : RowsPerInsert;
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        var built = 0;
        foreach (var chunk in rows.Chunk(rowsPerStatement))
        {
            if (chunk.Length != built)
            {
                BuildInsert(command, chunk.Length);
                built = chunk.Length;
            }
            for (var r = 0; r < chunk.Length; r++)
            {
                var values = InsertValues(chunk[r]);
                for (var c = 0; c < values.Length; c++)
                {
                    command.Parameters[r * values.Length + c].Value = values[c] ?? DBNull.Value;
                }
            }
            command.ExecuteNonQuery();
        }
    }

    private static void BuildInsert(DbCommand command, int rowCount)
    {
        var sql = new System.Text.StringBuilder($"insert into jobs ({string.Join(", ", InsertColumns)}) values ");
        command.Parameters.Clear();
        for (var r = 0; r < rowCount; r++)
        {
            sql.Append(r == 0 ? "(" : ", (");
            for (var c = 0; c < InsertColumns.Length; c++)
            {
                var parameter = command.CreateParameter();
                parameter.ParameterName = $"r{r}c{c}";
                command.Parameters.Add(parameter);
                sql.Append(c == 0 ? "@" : ", @").Append(parameter.ParameterName);
            }
            sql.Append(')');
        }
        command.CommandText = sql.ToString();
    }

    public async Task<JobRow?> GetAsync(long id, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        return await connection.QueryFirstOrDefaultAsync<JobRow>(
            new CommandDefinition($"select {Columns} from jobs where id = @id", new { id }, cancellationToken: cancellationToken)).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<JobRow>> ListAsync(JobFilter filter, CancellationToken cancellationToken)
    {
        var where = new List<string>();
        if (filter.Tenant is not null) where.Add("tenant = @Tenant");
        if (filter.State is not null) where.Add("state = @State");
        if (filter.Priority is not null) where.Add("priority = @Priority");
        if (filter.NamePrefix is not null) where.Add("name like @NamePrefix || '%'");
        if (filter.BeforeId is not null) where.Add("id < @BeforeId");
        if (filter.ArrayJobId is not null) where.Add("array_job_id = @ArrayJobId");
        if (filter.Site is not null) where.Add("site = @Site");
        var sql = $"select {Columns} from jobs {(where.Count > 0 ? "where " + string.Join(" and ", where) : "")} order by id desc limit {filter.Limit}";
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        var rows = await connection.QueryAsync<JobRow>(new CommandDefinition(sql, filter, cancellationToken: cancellationToken)).ConfigureAwait(false);
        return rows.AsList();
    }

    /// <summary>A job's state now, read on the caller's thread (the control loop asks for dependencies that ended before it started).</summary>
    public string? StateOf(long id)
    {
        using var connection = database.Open();
        return connection.QueryFirstOrDefault<string>("select state from jobs where id = @id", new { id });
    }

    /// <summary>The ids and tenants of jobs (and of every task of arrays whose id is given), for dependencies.</summary>
    public async Task<IReadOnlyList<(long Id, string Tenant, long? ArrayJobId)>> FindForDependencyAsync(IReadOnlyList<long> ids, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        var found = new List<(long, string, long?)>();
        foreach (var chunk in ids.Distinct().Chunk(500))
        {
            var match = database.Kind == DatabaseKind.Postgres ? "= any(@ids)" : "in @ids";
            found.AddRange(await connection.QueryAsync<(long, string, long?)>(new CommandDefinition(
                $"select id, tenant, array_job_id from jobs where id {match} or array_job_id {match}", new { ids = chunk }, cancellationToken: cancellationToken)).ConfigureAwait(false));
        }
        return found;
    }

    /// <summary>A pending job's changed spec (hold, release, priority, time limit, name).</summary>
    public static void UpdateSpec(DbConnection c, DbTransaction t, long id, string spec, string? name, string priority, long now) =>
        c.Execute("update jobs set spec = @spec, name = @name, priority = @priority, updated_unix = @now where id = @id", new { id, spec, name, priority, now }, t);

    /// <summary>Jobs the control loop must know at start: everything not finished.</summary>
    public IReadOnlyList<JobRow> LoadUnfinished()
    {
        using var connection = database.Open();
        return connection.Query<JobRow>($"select {Columns} from jobs where state in ('pending', 'admitted', 'starting', 'running', 'stopping') order by id").AsList();
    }

    public async Task<IReadOnlyDictionary<string, long>> CountByStateAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        var rows = await connection.QueryAsync<(string State, long Count)>(
            new CommandDefinition("select state, count(*) from jobs group by state", cancellationToken: cancellationToken)).ConfigureAwait(false);
        return rows.ToDictionary(r => r.State, r => r.Count);
    }

    public static void MarkEnded(DbConnection c, DbTransaction t, long id, string state, long now, long? exitCode, string reason) =>
        c.Execute(
            "update jobs set state = @state, ended_unix = @now, exit_code = @exitCode, reason = @reason, stop_cause = null, updated_unix = @now where id = @id",
            new { id, state, now, exitCode, reason }, t);

    /// <summary>Back to pending: after a restart found its attempt gone before it started.</summary>
    public static void MarkPending(DbConnection c, DbTransaction t, long id, long now, string reason) =>
        c.Execute(
            "update jobs set state = 'pending', reason = @reason, placement = null, site = null, pool = null, backend_handle = null, stop_cause = null, updated_unix = @now where id = @id",
            new { id, now, reason }, t);

    /// <summary>Records one move of the runtime's state machine (see <see cref="Runtime.Journal.JobTransition"/>).</summary>
    public static void Apply(DbConnection c, DbTransaction t, Runtime.Journal.JobTransition m, string? placementJson)
    {
        var id = m.Job.Value;
        var now = m.AtUnix;
        var state = Jobs.JobPhaseStates.Of(m.To);
        switch (m.To)
        {
            case Runtime.Lifecycle.JobPhase.Admitted:
                c.Execute(
                    "update jobs set state = 'admitted', admitted_unix = @now, first_started_unix = coalesce(first_started_unix, @now), placement = @placementJson, site = @Site, pool = @Pool, power_fraction = @PowerFraction, reason = @Text, attempt = @Attempt, accounted_until_unix = @now, not_before_unix = null, updated_unix = @now where id = @id",
                    new { id, now, placementJson, m.Site, m.Pool, m.PowerFraction, m.Text, m.Attempt }, t);
                break;
            case Runtime.Lifecycle.JobPhase.Starting:
                c.Execute("update jobs set state = 'starting', updated_unix = @now where id = @id", new { id, now }, t);
                break;
            case Runtime.Lifecycle.JobPhase.Running when m.From == Runtime.Lifecycle.JobPhase.Running:
                c.Execute("update jobs set power_fraction = @PowerFraction, accounted_until_unix = @now, updated_unix = @now where id = @id", new { id, now, m.PowerFraction }, t);
                break;
            case Runtime.Lifecycle.JobPhase.Running:
                c.Execute("update jobs set state = 'running', started_unix = @now, backend_handle = @Handle, updated_unix = @now where id = @id", new { id, now, m.Handle }, t);
                break;
            case Runtime.Lifecycle.JobPhase.Stopping:
                c.Execute(
                    "update jobs set state = 'stopping', stop_cause = @cause, reason = @Text, accounted_until_unix = @now, updated_unix = @now where id = @id",
                    new { id, now, cause = m.Action == "cancel" ? "cancel" : "preempt", m.Text }, t);
                break;
            case Runtime.Lifecycle.JobPhase.Pending when m.From == Runtime.Lifecycle.JobPhase.Pending && m.Action == "queue-ahead":
                // queued ahead at a site: still pending, but the attempt, site and pool are kept so a restart finds it there
                c.Execute("update jobs set reason = @Text, site = @Site, pool = @Pool, attempt = @Attempt, backend_handle = @Handle, updated_unix = @now where id = @id",
                    new { id, now, m.Text, m.Site, m.Pool, m.Attempt, m.Handle }, t);
                break;
            case Runtime.Lifecycle.JobPhase.Pending when m.From == Runtime.Lifecycle.JobPhase.Pending && m.Action == "withdraw":
                c.Execute("update jobs set reason = @Text, site = null, pool = null, backend_handle = null, updated_unix = @now where id = @id", new { id, now, m.Text }, t);
                break;
            case Runtime.Lifecycle.JobPhase.Pending when m.From == Runtime.Lifecycle.JobPhase.Pending:
                c.Execute("update jobs set reason = @Text, not_before_unix = @notBefore, updated_unix = @now where id = @id",
                    new { id, now, m.Text, notBefore = m.NotBeforeUnix > 0 ? m.NotBeforeUnix : (long?)null }, t);
                break;
            case Runtime.Lifecycle.JobPhase.Pending:
                c.Execute(
                    "update jobs set state = 'pending', reason = @Text, preemptions = preemptions + @count, placement = null, site = null, pool = null, backend_handle = null, stop_cause = null, not_before_unix = null, updated_unix = @now where id = @id",
                    new { id, now, m.Text, count = m.Preempted ? 1L : 0L }, t);
                break;
            default:
                MarkEnded(c, t, id, state, now, m.ExitCode, m.Text);
                break;
        }
    }

    /// <summary>The usage of the job's running attempt is booked up to <paramref name="untilUnix"/>.</summary>
    public static void SetAccountedUntil(DbConnection c, DbTransaction t, long id, long untilUnix) =>
        c.Execute("update jobs set accounted_until_unix = @untilUnix where id = @id", new { id, untilUnix }, t);
}
