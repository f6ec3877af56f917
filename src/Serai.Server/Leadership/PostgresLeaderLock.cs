using Dapper;
using Npgsql;

namespace Serai.Server.Leadership;

/// <summary>
/// The leader lock on PostgreSQL: a session advisory lock, keyed by the schema the servers share, on a connection used
/// for nothing else. The connection's <c>application_name</c> carries the holder's advertised address, so a standby
/// reads who leads from <c>pg_locks</c> and <c>pg_stat_activity</c>, which can never name a dead holder.
/// Each server that takes the lock raises the leader epoch (a row of <c>sequences</c>) before it acts; the writer of
/// the leader checks that row in each of its transactions (<see cref="Persistence.GroupCommitWriter.LeaderEpoch"/>),
/// so a leader that lost the lock to another server can no longer commit anything.
/// </summary>
public sealed class PostgresLeaderLock(string connectionString, string url, ILogger logger) : IAsyncDisposable
{
    /// <summary>The first key of the advisory lock ("SERA"); the second is the hash of the schema.</summary>
    public const int LockClass = 0x53455241;

    private const string NamePrefix = "serai ";
    private const int MaxApplicationName = 63; // PostgreSQL's NAMEDATALEN - 1

    /// <summary>The row of <c>sequences</c> that counts leaders.</summary>
    public const string EpochRow = "leader_epoch";

    private NpgsqlConnection? _connection;
    private int _key;

    /// <summary>The leader epoch this server set when it took the lock; 0 before.</summary>
    public long Epoch { get; private set; }

    /// <summary>Tries for the lock every <paramref name="pollInterval"/>; true once held, false when stopping first.</summary>
    public async Task<bool> AcquireAsync(TimeSpan pollInterval, Action<string?> standingBy, CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                var connection = _connection ??= await OpenAsync(cancellationToken).ConfigureAwait(false);
                var held = await connection.ExecuteScalarAsync<bool>(new CommandDefinition(
                    "select pg_try_advisory_lock(@c, @k)", new { c = LockClass, k = _key }, cancellationToken: cancellationToken)).ConfigureAwait(false);
                if (held)
                {
                    // raised while holding the lock, before acting: from this commit on, an older leader's writes fail
                    Epoch = await connection.ExecuteScalarAsync<long>(new CommandDefinition(
                        "insert into sequences (name, value) values (@name, 1) on conflict (name) do update set value = sequences.value + 1 returning value",
                        new { name = EpochRow }, cancellationToken: cancellationToken)).ConfigureAwait(false);
                    return true;
                }
                standingBy(await LeaderAsync(connection, cancellationToken).ConfigureAwait(false));
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return false;
            }
            catch (Exception e) when (e is NpgsqlException or TimeoutException or IOException or InvalidOperationException)
            {
                logger.LogWarning("leader lock: {Message}; trying again", e.Message);
                await DropAsync().ConfigureAwait(false);
                standingBy(null);
            }
            try
            {
                await Task.Delay(pollInterval, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return false;
            }
        }
        return false;
    }

    /// <summary>Checks the lock's connection every second; returns why it was lost, or null when stopping.</summary>
    public async Task<string?> HoldAsync(TimeSpan pollInterval, CancellationToken cancellationToken)
    {
        var interval = pollInterval * 2;
        while (true)
        {
            try
            {
                await Task.Delay(interval, cancellationToken).ConfigureAwait(false);
                // the lock lives exactly as long as this session: a session that answers still holds it
                var held = await _connection!.ExecuteScalarAsync<long>(new CommandDefinition(
                    "select count(*) from pg_locks where locktype = 'advisory' and granted and pid = pg_backend_pid() and classid = @c::int4::oid and objid = @k::int4::oid and objsubid = 2",
                    new { c = LockClass, k = _key }, cancellationToken: cancellationToken)).ConfigureAwait(false);
                if (held != 1)
                {
                    return "the lock's session no longer holds it";
                }
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return null;
            }
            catch (Exception e) when (e is NpgsqlException or TimeoutException or IOException or InvalidOperationException or OperationCanceledException)
            {
                return e.Message;
            }
        }
    }

    /// <summary>
    /// After the lock's session ended (PostgreSQL restarted or the connection broke): takes the lock again if nobody holds
    /// it. True when taken and no other server led meanwhile (the epoch is still this server's): it goes on leading;
    /// false when another server holds the lock or led meanwhile; null when the database cannot be reached (try again).
    /// </summary>
    public async Task<bool?> RetakeAsync(CancellationToken cancellationToken)
    {
        await DropAsync().ConfigureAwait(false);
        try
        {
            var connection = _connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
            if (!await connection.ExecuteScalarAsync<bool>(new CommandDefinition(
                "select pg_try_advisory_lock(@c, @k)", new { c = LockClass, k = _key }, cancellationToken: cancellationToken)).ConfigureAwait(false))
            {
                return false;
            }
            var epoch = await connection.ExecuteScalarAsync<long>(new CommandDefinition(
                "select value from sequences where name = @name", new { name = EpochRow }, cancellationToken: cancellationToken)).ConfigureAwait(false);
            if (epoch == Epoch)
            {
                return true;
            }
            await DropAsync().ConfigureAwait(false); // another server led meanwhile: this one's state is stale
            return false;
        }
        catch (Exception e) when (e is NpgsqlException or TimeoutException or IOException or InvalidOperationException
            || e is OperationCanceledException && cancellationToken.IsCancellationRequested)
        {
            logger.LogWarning("leader lock: {Message}; trying again", e.Message);
            await DropAsync().ConfigureAwait(false);
            return null;
        }
    }

    public async ValueTask DisposeAsync() => await DropAsync().ConfigureAwait(false);

    private async Task<NpgsqlConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var name = NamePrefix + url;
        if (name.Length > MaxApplicationName)
        {
            logger.LogWarning("leader lock: the advertised address {Url} is longer than {Max} characters: standbys cannot read it and will not forward to this server",
                url, MaxApplicationName - NamePrefix.Length);
        }
        var builder = new NpgsqlConnectionStringBuilder(connectionString)
        {
            ApplicationName = name.Length > MaxApplicationName ? name[..MaxApplicationName] : name,
            Pooling = false, // the lock belongs to this one session
            Timeout = 5,
            CommandTimeout = 5,
            TcpKeepAlive = true,
        };
        var connection = new NpgsqlConnection(builder.ConnectionString);
        try
        {
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
            _key = await connection.ExecuteScalarAsync<int>(new CommandDefinition("select hashtext(current_schema())", cancellationToken: cancellationToken)).ConfigureAwait(false);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>The holder's advertised address, from its session's application_name; null when nobody holds the lock.</summary>
    private async Task<string?> LeaderAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        var name = await connection.ExecuteScalarAsync<string?>(new CommandDefinition("""
            select a.application_name from pg_locks l join pg_stat_activity a on a.pid = l.pid
            where l.locktype = 'advisory' and l.granted and l.database = (select oid from pg_database where datname = current_database())
              and l.classid = @c::int4::oid and l.objid = @k::int4::oid and l.objsubid = 2
            limit 1
            """, new { c = LockClass, k = _key }, cancellationToken: cancellationToken)).ConfigureAwait(false);
        return name is not null && name.StartsWith(NamePrefix, StringComparison.Ordinal) ? name[NamePrefix.Length..] : null;
    }

    private async Task DropAsync()
    {
        if (_connection is { } connection)
        {
            _connection = null;
            await connection.DisposeAsync().ConfigureAwait(false);
        }
    }
}
