using Dapper;
using Npgsql;

namespace Serai.Server.Tests;

/// <summary>Where tests put their databases: a fresh SQLite file, or a fresh schema on the test PostgreSQL server.</summary>
public static class TestDatabases
{
    public const string DefaultPostgres = "Host=127.0.0.1;Port=5432;Username=serai;Password=serai;Database=serai_test";

    public static string PostgresBase => Environment.GetEnvironmentVariable("SERAI_TEST_POSTGRES") ?? DefaultPostgres;

    public static string NewDirectory()
    {
        var dir = Path.Combine(Path.GetTempPath(), "serai-tests", Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(dir);
        return dir;
    }

    /// <summary>Removes a test's directory (job logs, SQLite file) and its PostgreSQL schema; best effort.</summary>
    public static void Remove(string directory, string? database = null)
    {
        try
        {
            Directory.Delete(directory, recursive: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
        var marker = ";Search Path=";
        if (database is not null && database.StartsWith("postgres:", StringComparison.Ordinal) && database.Contains(marker, StringComparison.Ordinal))
        {
            var schema = database[(database.IndexOf(marker, StringComparison.Ordinal) + marker.Length)..];
            try
            {
                using var connection = new NpgsqlConnection(PostgresBase);
                connection.Open();
                connection.Execute($"drop schema if exists {schema} cascade");
            }
            catch (NpgsqlException)
            {
            }
        }
    }

    public static string NewSqlite(string directory) => $"sqlite:{Path.Combine(directory, "serai.db")}";

    /// <summary>
    /// A fresh schema on the test server, as a `postgres:` URL; null when the server is unreachable outside CI.
    /// In CI (CI=true) an unreachable server fails the test: PostgreSQL support must never go untested silently.
    /// </summary>
    public static string? NewPostgres()
    {
        var schema = "t_" + Guid.NewGuid().ToString("N")[..12];
        try
        {
            using var connection = new NpgsqlConnection(PostgresBase + ";Timeout=5");
            connection.Open();
            connection.Execute($"create schema {schema}");
        }
        catch (Exception e) when (e is NpgsqlException or System.Net.Sockets.SocketException or TimeoutException)
        {
            if (string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase))
            {
                throw new InvalidOperationException($"PostgreSQL at '{PostgresBase}' is unreachable in CI (run scripts/services/postgres.sh): {e.Message}", e);
            }
            return null;
        }
        return $"postgres:{PostgresBase};Search Path={schema}";
    }
}
