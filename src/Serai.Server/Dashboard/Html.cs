using System.Globalization;
using System.Net;

namespace Serai.Server.Dashboard;

/// <summary>Small helpers for writing HTML by hand: every value from data goes through <see cref="E"/>.</summary>
public static class Html
{
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    /// <summary>HTML-encodes text for element content and quoted attributes.</summary>
    public static string E(string? text) => WebUtility.HtmlEncode(text ?? "");

    public static string N(double value, int decimals = 1) => value.ToString("N" + decimals.ToString(Invariant), Invariant);

    public static string I(long value) => value.ToString(Invariant);

    /// <summary>A power in the unit that reads best: W, kW or MW.</summary>
    public static string Watts(double watts) =>
        Math.Abs(watts) >= 1e6 ? $"{N(watts / 1e6, 2)} MW" : Math.Abs(watts) >= 1e3 ? $"{N(watts / 1e3, 1)} kW" : $"{N(watts, 0)} W";

    public static string Time(long unix) => unix <= 0 ? "—" : DateTimeOffset.FromUnixTimeSeconds(unix).ToString("yyyy-MM-dd HH:mm:ss'Z'", Invariant);

    /// <summary>A duration such as "3 h 12 min" or "45 s".</summary>
    public static string Duration(long seconds)
    {
        seconds = Math.Max(0, seconds);
        return seconds >= 86400 ? $"{seconds / 86400} d {seconds % 86400 / 3600} h"
            : seconds >= 3600 ? $"{seconds / 3600} h {seconds % 3600 / 60} min"
            : seconds >= 60 ? $"{seconds / 60} min {seconds % 60} s"
            : $"{seconds} s";
    }

    /// <summary>A `&lt;time&gt;` element with the machine-readable instant.</summary>
    public static string TimeTag(long unix) =>
        unix <= 0 ? "—" : $"<time datetime=\"{DateTimeOffset.FromUnixTimeSeconds(unix).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", Invariant)}\">{Time(unix)}</time>";

    /// <summary>A state badge; failed, timed-out and cancelled jobs are marked so that they look it (not by colour alone).</summary>
    public static string StateBadge(string state) => state switch
    {
        "failed" or "timed-out" => $"<span class=\"badge bad\">✗ {E(state)}</span>",
        "cancelled" => $"<span class=\"badge warn\">⊘ {E(state)}</span>",
        "succeeded" => $"<span class=\"badge good\">✓ {E(state)}</span>",
        "running" => $"<span class=\"badge run\">▶ {E(state)}</span>",
        _ => $"<span class=\"badge\">{E(state)}</span>",
    };

    /// <summary>The CSS class of a tenant's colour (a small palette, cycled by the tenant's index).</summary>
    public static string TenantClass(int tenantIndex) => $"t{tenantIndex % 8}";

    /// <summary>A query string from the non-empty pairs.</summary>
    public static string Query(params (string Key, string? Value)[] pairs)
    {
        var parts = pairs.Where(p => !string.IsNullOrEmpty(p.Value)).Select(p => $"{Uri.EscapeDataString(p.Key)}={Uri.EscapeDataString(p.Value!)}").ToList();
        return parts.Count == 0 ? "" : "?" + string.Join("&", parts);
    }
}
