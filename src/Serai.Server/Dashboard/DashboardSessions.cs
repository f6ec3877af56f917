using System.Collections.Concurrent;
using System.Security.Cryptography;
using Serai.Server.Auth;

namespace Serai.Server.Dashboard;

/// <summary>A signed-in browser: who it is, its anti-forgery token, and when it lapses.</summary>
public sealed record DashboardSession(Caller Caller, string CsrfToken, DateTimeOffset ExpiresAt);

/// <summary>
/// Server-side sessions of the dashboard: the cookie carries only a random id (never the API token); the server keeps
/// who it stands for. Sessions live in memory, so a restart signs browsers out (they sign in again with their token).
/// </summary>
public sealed class DashboardSessions(DashboardOptions options, TimeProvider time)
{
    public const string CookieName = "serai_session";
    public const string CsrfHeader = "X-Serai-Csrf";
    public const string CsrfField = "csrf";

    private readonly ConcurrentDictionary<string, DashboardSession> _sessions = new(StringComparer.Ordinal);

    public static string NewSecret() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).Replace('+', '-').Replace('/', '_').TrimEnd('=');

    public (string Id, DashboardSession Session) Create(Caller caller)
    {
        var id = NewSecret();
        var session = new DashboardSession(caller, NewSecret(), time.GetUtcNow().AddHours(options.SessionHours));
        _sessions[id] = session;
        return (id, session);
    }

    /// <summary>The live session of a cookie value (sliding expiry), or null.</summary>
    public DashboardSession? Find(string? id)
    {
        if (string.IsNullOrEmpty(id) || !_sessions.TryGetValue(id, out var session))
        {
            return null;
        }
        var now = time.GetUtcNow();
        if (session.ExpiresAt <= now)
        {
            _sessions.TryRemove(id, out _);
            return null;
        }
        var renewed = session with { ExpiresAt = now.AddHours(options.SessionHours) };
        _sessions[id] = renewed;
        return renewed;
    }

    public void Remove(string? id)
    {
        if (id is not null)
        {
            _sessions.TryRemove(id, out _);
        }
    }

    /// <summary>Compares anti-forgery tokens in constant time.</summary>
    public static bool SameToken(string? a, string? b) =>
        a is not null && b is not null && CryptographicOperations.FixedTimeEquals(System.Text.Encoding.UTF8.GetBytes(a), System.Text.Encoding.UTF8.GetBytes(b));
}
