namespace Serai.Server.Persistence;

/// <summary>Which database engine holds the state.</summary>
public enum DatabaseKind
{
    Sqlite,
    Postgres,
}

/// <summary>A database given as `sqlite:PATH` or `postgres:CONNECTION-STRING`.</summary>
public sealed record DatabaseUrl(DatabaseKind Kind, string ConnectionString)
{
    public static DatabaseUrl Parse(string text)
    {
        var trimmed = text.Trim();
        if (trimmed.StartsWith("sqlite:", StringComparison.OrdinalIgnoreCase))
        {
            return Sqlite(trimmed["sqlite:".Length..]);
        }
        foreach (var prefix in (string[])["postgres:", "postgresql:", "pg:"])
        {
            if (trimmed.StartsWith(prefix, StringComparison.OrdinalIgnoreCase) && trimmed.Length > prefix.Length)
            {
                return new DatabaseUrl(DatabaseKind.Postgres, trimmed[prefix.Length..]);
            }
        }
        throw new ArgumentException(
            $"database: '{text}' is not understood; allowed: sqlite:PATH or postgres:CONNECTION-STRING (e.g. postgres:Host=127.0.0.1;Username=serai;Password=serai;Database=serai)");
    }

    public static DatabaseUrl Sqlite(string path)
    {
        if (string.IsNullOrWhiteSpace(path))
        {
            throw new ArgumentException("database: sqlite needs a file path, e.g. sqlite:.serai/serai.db");
        }
        var full = Path.GetFullPath(path);
        return new DatabaseUrl(DatabaseKind.Sqlite, $"Data Source={full};Pooling=True;Default Timeout=30");
    }

    public string? SqlitePath =>
        Kind == DatabaseKind.Sqlite ? new Microsoft.Data.Sqlite.SqliteConnectionStringBuilder(ConnectionString).DataSource : null;

    public override string ToString() => Kind == DatabaseKind.Sqlite ? $"sqlite:{SqlitePath}" : "postgres";
}
