using Dapper;
using Serai.Server.Persistence;

namespace Serai.Server.Leadership;

/// <summary>
/// Servers that start together on one PostgreSQL schema take turns at migrations and first-start tokens: a session
/// advisory lock (a key apart from the leader lock's) held while one of them bootstraps. Nothing to take on SQLite.
/// </summary>
public sealed class StartLock : IAsyncDisposable
{
    private readonly System.Data.Common.DbConnection _connection;

    private StartLock(System.Data.Common.DbConnection connection) => _connection = connection;

    public static async Task<StartLock?> TakeAsync(SeraiDatabase database, CancellationToken cancellationToken)
    {
        if (database.Kind != DatabaseKind.Postgres)
        {
            return null;
        }
        var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await connection.ExecuteAsync(new CommandDefinition("select pg_advisory_lock(@c, hashtext(current_schema()) # 1)",
                new { c = PostgresLeaderLock.LockClass }, commandTimeout: 120, cancellationToken: cancellationToken)).ConfigureAwait(false);
            return new StartLock(connection);
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await _connection.ExecuteAsync("select pg_advisory_unlock(@c, hashtext(current_schema()) # 1)", new { c = PostgresLeaderLock.LockClass }).ConfigureAwait(false);
        }
        finally
        {
            await _connection.DisposeAsync().ConfigureAwait(false);
        }
    }
}
