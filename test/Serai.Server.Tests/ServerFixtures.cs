namespace Serai.Server.Tests;

/// <summary>One server per test class on a fresh database; null <see cref="Factory"/> when PostgreSQL is unavailable outside CI.</summary>
public abstract class ServerFixture : IAsyncLifetime
{
    public SeraiFactory? Factory { get; private set; }

    public string Directory { get; } = TestDatabases.NewDirectory();

    protected abstract string? Database();

    private string? _database;

    public async Task InitializeAsync()
    {
        _database = Database();
        if (_database is not null)
        {
            Factory = await new SeraiFactory(_database, Directory, backend: "none").StartAsync();
        }
    }

    public async Task DisposeAsync()
    {
        if (Factory is not null)
        {
            await Factory.DisposeAsync();
        }
        TestDatabases.Remove(Directory, _database);
    }
}

/// <summary>A server on a real SQLite file.</summary>
public sealed class SqliteServerFixture : ServerFixture
{
    protected override string? Database() => TestDatabases.NewSqlite(Directory);
}

/// <summary>A server on a fresh schema of the real PostgreSQL test server.</summary>
public sealed class PostgresServerFixture : ServerFixture
{
    protected override string? Database() => TestDatabases.NewPostgres();
}
