using Dapper;
using Npgsql;

namespace Serai.Server.Leadership;

/// <summary>
/// The leader lock on PostgreSQL: a session advisory lock, keyed by the schema the servers share, on a connection used
/// for nothing else. The connection's <c>application_name</c> carries the holder's advertised address, so a standby
/// reads who leads from <c>pg_locks</c> and <c>pg_stat_activity</c>, which can never name a dead holder.
/// </summary>
public sealed class PostgresLeaderLock(string connectionString, string url, ILogger logger) : IAsyncDisposable
{
    /// <summary>The first key of the advisory lock ("SERA"); the second is the hash of the schema.</summary>
    public const int LockClass = 0x53455241;

    private const string NamePrefix = "serai ";
    private const int MaxApplicationName = 63; // PostgreSQL's NAMEDATALEN - 1

    private NpgsqlConnection? _connection;
    private int _key;

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
