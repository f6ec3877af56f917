using System.Net;
using System.Net.Sockets;

namespace Serai.Server.Notifications;

/// <summary>
/// Which webhook URLs a job may name: absolute http(s), at most <see cref="MaxLength"/> characters, and not aimed at this
/// machine or its private networks (a tenant's URL is untrusted: SSRF) unless the operator lists the host in
/// <c>Serai:NotifyAllowedHosts</c>. Checked on the URL at submit and on the resolved addresses at each delivery.
/// </summary>
public sealed class NotifyPolicy
{
    public const int MaxLength = 2048;

    private readonly HashSet<string> _allowed;

    public NotifyPolicy(string? allowedHosts)
    {
        _allowed = new HashSet<string>(
            (allowedHosts ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(h => h.Trim('[', ']')),
            StringComparer.OrdinalIgnoreCase);
    }

    public static NotifyPolicy From(SeraiServerOptions options) => new(options.NotifyAllowedHosts);

    /// <summary>The operator allowed this host name or address explicitly.</summary>
    public bool Allows(string host) => _allowed.Contains(host.Trim('[', ']'));

    /// <summary>Why the URL is refused at submit, or null when it may be stored (its name is resolved again at delivery).</summary>
    public string? Refuse(string text)
    {
        var shown = text.Length > 200 ? text[..200] + "..." : text;
        if (text.Length > MaxLength)
        {
            return $"{text.Length} characters is too long; at most {MaxLength}";
        }
        if (!Uri.TryCreate(text, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https") || uri.Host.Length == 0)
        {
            return $"'{shown}' is not an absolute http or https URL; give e.g. https://hooks.example.org/serai";
        }
        if (uri.UserInfo.Length > 0)
        {
            return "a URL with a user name or password is not allowed; put a token in the path or query instead";
        }
        if (Allows(uri.IdnHost))
        {
            return null;
        }
        var host = uri.IdnHost.Trim('[', ']').TrimEnd('.');
        if (host.Equals("localhost", StringComparison.OrdinalIgnoreCase) || host.EndsWith(".localhost", StringComparison.OrdinalIgnoreCase)
            || (IPAddress.TryParse(host, out var address) && Forbidden(address)))
        {
            return $"'{shown}' points at a loopback, link-local, private or unspecified address, which this server does not call; allowed: public hosts (the operator may allow others with Serai:NotifyAllowedHosts)";
        }
        return null;
    }

    /// <summary>Loopback, link-local, private (RFC 1918, unique local) or unspecified: never called unless allowed by name.</summary>
    public static bool Forbidden(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }
        if (IPAddress.IsLoopback(address) || address.Equals(IPAddress.Any) || address.Equals(IPAddress.IPv6Any) || address.Equals(IPAddress.Broadcast))
        {
            return true;
        }
        var b = address.GetAddressBytes();
        if (address.AddressFamily == AddressFamily.InterNetwork)
        {
            return b[0] is 0 or 10 or 127 || (b[0] == 169 && b[1] == 254) || (b[0] == 172 && b[1] is >= 16 and <= 31) || (b[0] == 192 && b[1] == 168)
                || (b[0] == 100 && b[1] is >= 64 and <= 127); // carrier-grade NAT: private in practice
        }
        return address.IsIPv6LinkLocal || address.IsIPv6SiteLocal || (b[0] & 0xfe) == 0xfc;
    }
}
