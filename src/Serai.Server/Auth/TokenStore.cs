using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using Dapper;
using Serai.Server.Persistence;

namespace Serai.Server.Auth;

/// <summary>
/// API tokens: random secrets shown once, stored as SHA-256 hashes; kept in memory for checks, persisted through
/// the writer.
/// </summary>
public sealed class TokenStore(SeraiDatabase database, GroupCommitWriter writer, TimeProvider time)
{
    private readonly ConcurrentDictionary<string, Caller> _byHash = new(StringComparer.Ordinal);

    public const string Prefix = "serai_";

    public static string Hash(string token) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));

    public static string NewSecret() => Prefix + Convert.ToBase64String(RandomNumberGenerator.GetBytes(24)).Replace('+', '-').Replace('/', '_');

    public void Load()
    {
        using var connection = database.Open();
        foreach (var row in connection.Query<(string Hash, string? Tenant, long IsAdmin)>("select hash, tenant, is_admin from api_tokens"))
        {
            _byHash[row.Hash] = new Caller(row.Tenant, row.IsAdmin != 0);
        }
    }

    public bool HasAdmin => _byHash.Values.Any(c => c.IsAdmin);

    public Caller? Find(string token) => _byHash.TryGetValue(Hash(token), out var caller) ? caller : null;

    /// <summary>Creates a token (a fresh secret unless one is given) and returns the secret, which is not stored.</summary>
    public async Task<string> CreateAsync(string? tenant, bool isAdmin, string label, string? secret = null)
    {
        secret ??= NewSecret();
        var hash = Hash(secret);
        var now = time.GetUtcNow().ToUnixTimeSeconds();
        await writer.WriteAsync((c, t) => c.Execute(
            "insert into api_tokens (hash, tenant, is_admin, label, created_unix) values (@hash, @tenant, @isAdmin, @label, @now)",
            new { hash, tenant, isAdmin = isAdmin ? 1L : 0L, label, now }, t)).ConfigureAwait(false);
        _byHash[hash] = new Caller(tenant, isAdmin);
        return secret;
    }
}
