using System.Collections.Concurrent;
using System.Net;

namespace Serai.Server.Auth;

/// <summary>
/// Counts failed authentications per client address, and per token sent, in a fixed window. An address that reaches
/// the limit is refused (429 with Retry-After) for every token it sends, a right one too, until its window ends:
/// guessing tokens from one address stops after a few tries. A token that reaches it (a revoked, expired or stolen
/// one replayed from many addresses) is refused from every address; a right token never fails, so it cannot be
/// locked out this way. The window and the limit are <see cref="SeraiServerOptions.FailedAuthLimit"/> and
/// <see cref="SeraiServerOptions.FailedAuthWindowSeconds"/>.
/// </summary>
public sealed class FailedAuthentications(SeraiServerOptions options, TimeProvider time)
{
    private const int PruneAbove = 10_000;

    // a flood of distinct guesses within one window must not grow memory without bound: past this, per-token counts
    // (each guess its own) are dropped, per-address ones kept
    private const int MaxEntries = 100_000;
    private const string TokenPrefix = "token:";
    private readonly ConcurrentDictionary<string, Window> _byAddress = new(StringComparer.Ordinal);

    private TimeSpan Length => TimeSpan.FromSeconds(Math.Max(1, options.FailedAuthWindowSeconds));

    /// <summary>The key of a client: its address, or "unknown" where the server has none (the in-memory test server).</summary>
    public static string Key(IPAddress? address) => address is null ? "unknown" : (address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address).ToString();

    /// <summary>The key of a token sent: a prefix of its hash (never the token, which may be a right one mistyped).</summary>
    public static string TokenKey(string token) => TokenPrefix + TokenStore.Hash(token)[..24];

    /// <summary>How long the address (or token key) is still refused; null when it may try.</summary>
    public TimeSpan? RefusedFor(string address)
    {
        var now = time.GetUtcNow();
        if (_byAddress.TryGetValue(address, out var window) && window.Failures >= options.FailedAuthLimit && window.Ends > now)
        {
            return window.Ends - now;
        }
        return null;
    }

    /// <summary>Counts a failure; true when it is the one that reaches the limit (the address is refused from now on).</summary>
    public bool Fail(string address)
    {
        var now = time.GetUtcNow();
        if (_byAddress.Count > PruneAbove)
        {
            foreach (var (key, old) in _byAddress)
            {
                if (old.Ends <= now)
                {
                    _byAddress.TryRemove(key, out _);
                }
            }
        }
        if (_byAddress.Count > MaxEntries)
        {
            foreach (var key in _byAddress.Keys.Where(k => k.StartsWith(TokenPrefix, StringComparison.Ordinal)))
            {
                _byAddress.TryRemove(key, out _);
            }
        }
        var window = _byAddress.AddOrUpdate(address, _ => new Window(now + Length, 1),
            (_, w) => w.Ends <= now ? new Window(now + Length, 1) : w with { Failures = w.Failures + 1 });
        return window.Failures == options.FailedAuthLimit;
    }

    private sealed record Window(DateTimeOffset Ends, int Failures);
}
