using System.Collections.Concurrent;
using System.Data.Common;
using System.Security.Cryptography;
using System.Text;
using Dapper;
using Serai.Server.Persistence;

namespace Serai.Server.Auth;

/// <summary>A stored token as its list shows it: never the secret, only the first characters of its hash as its id.</summary>
public sealed record TokenInfo(string Id, string? Tenant, bool Admin, string? Label, long CreatedUnix, long? ExpiresUnix, long? RevokedUnix)
{
    public bool Active(long nowUnix) => RevokedUnix is null && (ExpiresUnix is null || ExpiresUnix > nowUnix);
}

/// <summary>
/// API tokens: random secrets shown once, stored as SHA-256 hashes. A check is answered from memory for at most
/// <see cref="RecheckAfter"/>, then from the database again, so that a token revoked or expired on any server stops
/// working everywhere within a second (a token created on another server starts working as soon).
/// </summary>
public sealed class TokenStore(SeraiDatabase database, GroupCommitWriter writer, TimeProvider time)
{
    /// <summary>How long a check is trusted from memory.</summary>
    public static readonly TimeSpan RecheckAfter = TimeSpan.FromMilliseconds(500);

    private const int MaxCached = 100_000;
    private const int IdLength = 12;
    private readonly ConcurrentDictionary<string, Entry> _byHash = new(StringComparer.Ordinal);

    public const string Prefix = "serai_";

    public static string Hash(string token) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));

    public static string NewSecret() => Prefix + Convert.ToBase64String(RandomNumberGenerator.GetBytes(24)).Replace('+', '-').Replace('/', '_');

    public void Load()
    {
        using var connection = database.Open();
        var checkedAt = time.GetTimestamp();
        foreach (var row in connection.Query<Row>($"select {Columns} from api_tokens"))
        {
            _byHash[row.Hash] = Entry.Of(row, checkedAt);
        }
    }

    public bool HasAdmin => _byHash.Values.Any(e => e.Caller?.IsAdmin == true && e.RevokedUnix is null);

    /// <summary>The caller a token stands for; null when it is unknown, revoked or expired.</summary>
    public Caller? Find(string token)
    {
        var hash = Hash(token);
        var now = time.GetTimestamp();
        if (!_byHash.TryGetValue(hash, out var entry) || time.GetElapsedTime(entry.CheckedAt, now) >= RecheckAfter)
        {
            entry = Reload(hash, now, entry);
        }
        return entry.Caller is { } caller && entry.RevokedUnix is null && (entry.ExpiresUnix is null || entry.ExpiresUnix > time.GetUtcNow().ToUnixTimeSeconds())
            ? caller
            : null;
    }

    /// <summary>Creates a token (a fresh secret unless one is given) and returns the secret, which is not stored.</summary>
    public async Task<string> CreateAsync(string? tenant, bool isAdmin, string label, string? secret = null, long? expiresUnix = null)
    {
        secret ??= NewSecret();
        var hash = Hash(secret);
        var now = time.GetUtcNow().ToUnixTimeSeconds();
        await writer.WriteAsync((c, t) => c.Execute(
            "insert into api_tokens (hash, tenant, is_admin, label, created_unix, expires_unix) values (@hash, @tenant, @isAdmin, @label, @now, @expiresUnix)",
            new { hash, tenant, isAdmin = isAdmin ? 1L : 0L, label, now, expiresUnix }, t)).ConfigureAwait(false);
        _byHash[hash] = new Entry(new Caller(tenant, isAdmin), expiresUnix, null, time.GetTimestamp());
        return secret;
    }

    /// <summary>The id a list shows for a secret.</summary>
    public static string IdOf(string secret) => Hash(secret)[..IdLength];

    /// <summary>Tokens, newest first: all of them, or one tenant's.</summary>
    public async Task<IReadOnlyList<TokenInfo>> ListAsync(string? tenant, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        var rows = await connection.QueryAsync<Row>(new CommandDefinition(
            $"select {Columns} from api_tokens {(tenant is null ? "" : "where tenant = @tenant")} order by created_unix desc, hash",
            new { tenant }, cancellationToken: cancellationToken)).ConfigureAwait(false);
        return rows.Select(r => r.Info()).ToList();
    }

    /// <summary>Revokes the token with this id (seen by <paramref name="mayRevoke"/>); the token found, or null.</summary>
    public async Task<TokenInfo?> RevokeAsync(string id, Func<TokenInfo, bool> mayRevoke, CancellationToken cancellationToken)
    {
        if (id.Length != IdLength || !id.All(char.IsAsciiHexDigitLower))
        {
            return null;
        }
        var all = await ListAsync(null, cancellationToken).ConfigureAwait(false);
        if (all.FirstOrDefault(t => t.Id == id) is not { } token || !mayRevoke(token))
        {
            return null;
        }
        var now = time.GetUtcNow().ToUnixTimeSeconds();
        var prefix = id + "%";
        await writer.WriteAsync((c, t) => c.Execute(
            "update api_tokens set revoked_unix = coalesce(revoked_unix, @now) where hash like @prefix", new { now, prefix }, t)).ConfigureAwait(false);
        foreach (var key in _byHash.Keys.Where(k => k.StartsWith(id, StringComparison.Ordinal)))
        {
            _byHash[key] = _byHash[key] with { RevokedUnix = now };
        }
        return token with { RevokedUnix = token.RevokedUnix ?? now };
    }

    private const string Columns = "hash, tenant, is_admin, label, created_unix, expires_unix, revoked_unix";

    private Entry Reload(string hash, long now, Entry? stale)
    {
        Row? row;
        try
        {
            using var connection = database.Open();
            row = connection.QueryFirstOrDefault<Row>($"select {Columns} from api_tokens where hash = @hash", new { hash });
        }
        catch (DbException) when (stale is not null)
        {
            return stale; // the database is unreachable: the last answer stands until it is back
        }
        if (_byHash.Count >= MaxCached)
        {
            _byHash.Clear(); // a flood of unknown tokens must not grow memory without bound
        }
        var entry = row is null ? new Entry(null, null, null, now) : Entry.Of(row, now);
        _byHash[hash] = entry;
        return entry;
    }

    private sealed record Entry(Caller? Caller, long? ExpiresUnix, long? RevokedUnix, long CheckedAt)
    {
        public static Entry Of(Row row, long checkedAt) => new(new Caller(row.Tenant, row.IsAdmin != 0), row.ExpiresUnix, row.RevokedUnix, checkedAt);
    }

    internal sealed class Row
    {
        public string Hash { get; set; } = "";
        public string? Tenant { get; set; }
        public long IsAdmin { get; set; }
        public string? Label { get; set; }
        public long CreatedUnix { get; set; }
        public long? ExpiresUnix { get; set; }
        public long? RevokedUnix { get; set; }

        public TokenInfo Info() => new(Hash[..IdLength], Tenant, IsAdmin != 0, Label, CreatedUnix, ExpiresUnix, RevokedUnix);
    }
}
