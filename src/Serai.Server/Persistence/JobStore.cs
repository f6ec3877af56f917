using System.Data.Common;
using Dapper;

namespace Serai.Server.Persistence;

/// <summary>Filters and a keyset page of the job list (newest first; <see cref="BeforeId"/> is the cursor).</summary>
public sealed record JobFilter(string? Tenant, string? State, string? Priority, string? NamePrefix, long? BeforeId, int Limit);

/// <summary>Reads and writes of the jobs table. Writes run inside the group-commit writer's transaction.</summary>
public sealed class JobStore(SeraiDatabase database)
{
    private const string Columns = "id, tenant, name, state, priority, gpus, idempotency_key, request_hash, spec, submit_unix, admitted_unix, started_unix, ended_unix, not_before_unix, exit_code, reason, placement, power_fraction, backend_handle, site, pool, preemptions, updated_unix";
    private long _lastId = -1;

    private const int RowsPerInsert = 200;

    /// <summary>
    /// Inserts new jobs in multi-row statements; a job whose tenant already used its idempotency key (before, or
    /// earlier in this batch) is not inserted: the existing job is returned with Created = false.
    /// </summary>
    public IReadOnlyList<(JobRow Job, bool Created)> InsertOrFind(DbConnection connection, DbTransaction transaction, IReadOnlyList<JobRow> jobs)
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
        if (_lastId < 0)
        {
            _lastId = connection.ExecuteScalar<long?>("select max(id) from jobs", transaction: transaction) ?? 0;
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
            job.Id = ++_lastId;
            if (job.IdempotencyKey is { } newKey)
            {
                existing[(job.Tenant, newKey)] = job;
            }
            fresh.Add(job);
            results[i] = (job, true);
        }
        foreach (var chunk in fresh.Chunk(RowsPerInsert))
        {
            InsertRows(connection, transaction, chunk);
        }
        return results;
    }

    // a new job has only these columns set; the rest stay null until the control loop moves it
    private static void InsertRows(DbConnection connection, DbTransaction transaction, JobRow[] rows)
    {
        var sql = new System.Text.StringBuilder("insert into jobs (id, tenant, name, state, priority, gpus, idempotency_key, request_hash, spec, submit_unix, updated_unix) values ");
        var parameters = new DynamicParameters();
        for (var i = 0; i < rows.Length; i++)
        {
            var r = rows[i];
            sql.Append(i == 0 ? "" : ",").Append($"(@i{i}, @t{i}, @n{i}, @s{i}, @p{i}, @g{i}, @k{i}, @h{i}, @x{i}, @u{i}, @u{i})");
            parameters.Add($"i{i}", r.Id);
            parameters.Add($"t{i}", r.Tenant);
            parameters.Add($"n{i}", r.Name);
            parameters.Add($"s{i}", r.State);
            parameters.Add($"p{i}", r.Priority);
            parameters.Add($"g{i}", r.Gpus);
            parameters.Add($"k{i}", r.IdempotencyKey);
            parameters.Add($"h{i}", r.RequestHash);
            parameters.Add($"x{i}", r.Spec);
            parameters.Add($"u{i}", r.SubmitUnix);
        }
        connection.Execute(sql.ToString(), parameters, transaction);
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
        var sql = $"select {Columns} from jobs {(where.Count > 0 ? "where " + string.Join(" and ", where) : "")} order by id desc limit {filter.Limit}";
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        var rows = await connection.QueryAsync<JobRow>(new CommandDefinition(sql, filter, cancellationToken: cancellationToken)).ConfigureAwait(false);
        return rows.AsList();
    }

    /// <summary>Jobs the control loop must know at start: everything not finished.</summary>
    public IReadOnlyList<JobRow> LoadUnfinished()
    {
        using var connection = database.Open();
        return connection.Query<JobRow>($"select {Columns} from jobs where state in ('pending', 'admitted', 'running') order by id").AsList();
    }

    public async Task<IReadOnlyDictionary<string, long>> CountByStateAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        var rows = await connection.QueryAsync<(string State, long Count)>(
            new CommandDefinition("select state, count(*) from jobs group by state", cancellationToken: cancellationToken)).ConfigureAwait(false);
        return rows.ToDictionary(r => r.State, r => r.Count);
    }

    public static void MarkAdmitted(DbConnection c, DbTransaction t, long id, long now, string placement, string site, string pool, double powerFraction, string reason) =>
        c.Execute(
            "update jobs set state = 'admitted', admitted_unix = @now, placement = @placement, site = @site, pool = @pool, power_fraction = @powerFraction, reason = @reason, updated_unix = @now where id = @id",
            new { id, now, placement, site, pool, powerFraction, reason }, t);

    public static void MarkRunning(DbConnection c, DbTransaction t, long id, long now, string handle) =>
        c.Execute("update jobs set state = 'running', started_unix = @now, backend_handle = @handle, updated_unix = @now where id = @id", new { id, now, handle }, t);

    public static void MarkEnded(DbConnection c, DbTransaction t, long id, string state, long now, long? exitCode, string reason) =>
        c.Execute(
            "update jobs set state = @state, ended_unix = @now, exit_code = @exitCode, reason = @reason, updated_unix = @now where id = @id",
            new { id, state, now, exitCode, reason }, t);

    /// <summary>Back to pending: after a preemption (counted), a deferral (with its hour) or a restart.</summary>
    public static void MarkPending(DbConnection c, DbTransaction t, long id, long now, string reason, bool preempted, long? notBeforeUnix) =>
        c.Execute(
            "update jobs set state = 'pending', reason = @reason, not_before_unix = @notBeforeUnix, preemptions = preemptions + @count, placement = null, site = null, pool = null, backend_handle = null, updated_unix = @now where id = @id",
            new { id, now, reason, notBeforeUnix, count = preempted ? 1L : 0L }, t);

    public static void SetPowerFraction(DbConnection c, DbTransaction t, long id, long now, double powerFraction) =>
        c.Execute("update jobs set power_fraction = @powerFraction, updated_unix = @now where id = @id", new { id, now, powerFraction }, t);
}
