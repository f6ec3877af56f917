using System.Globalization;

namespace Serai.Simulation.Traces;

/// <summary>
/// Instants as published traces write them: epoch seconds (integer or decimal), or a date and time such as
/// <c>2017-10-09 07:01:55</c> or <c>2017-10-09T07:01:55</c>, with or without a zone (<c>Z</c>, <c>+08:00</c>,
/// <c>+0800</c>, <c>UTC</c>, <c>GMT</c>, or the Pacific <c>PST</c>/<c>PDT</c> the Philly logs were kept in). A time
/// without a zone is read as UTC: the simulator rebases the trace clock, so only differences between rows matter.
/// </summary>
public static class TraceTime
{
    private static readonly string[] Formats =
    [
        "yyyy-MM-dd HH:mm:ss", "yyyy-MM-dd'T'HH:mm:ss", "yyyy-MM-dd HH:mm:ss.FFFFFFF", "yyyy-MM-dd'T'HH:mm:ss.FFFFFFF",
        "yyyy-MM-dd HH:mm", "yyyy-MM-dd'T'HH:mm", "yyyy-MM-dd",
        "yyyy-MM-dd HH:mm:sszzz", "yyyy-MM-dd'T'HH:mm:sszzz", "yyyy-MM-dd HH:mm:ss.FFFFFFFzzz", "yyyy-MM-dd'T'HH:mm:ss.FFFFFFFzzz",
        "yyyy-MM-dd HH:mm:ss zzz", "yyyy-MM-dd'T'HH:mm:ss'Z'", "yyyy-MM-dd HH:mm:ss'Z'", "yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'",
    ];

    private static readonly (string Suffix, TimeSpan Offset)[] Zones =
    [
        (" UTC", TimeSpan.Zero), (" GMT", TimeSpan.Zero), (" PST", TimeSpan.FromHours(-8)), (" PDT", TimeSpan.FromHours(-7)),
    ];

    /// <summary>Seconds since the Unix epoch; false when the text is neither a number nor a date and time.</summary>
    public static bool TryParse(string text, out long unixSeconds)
    {
        unixSeconds = 0;
        text = text.Trim().Trim('"');
        if (text.Length == 0)
        {
            return false;
        }
        if (long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out unixSeconds))
        {
            return true;
        }
        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && double.IsFinite(d) && Math.Abs(d) < 9e15)
        {
            unixSeconds = (long)Math.Round(d);
            return true;
        }
        var offset = TimeSpan.Zero;
        foreach (var (suffix, zone) in Zones)
        {
            if (text.EndsWith(suffix, StringComparison.OrdinalIgnoreCase))
            {
                text = text[..^suffix.Length];
                offset = zone;
                break;
            }
        }
        if (DateTimeOffset.TryParseExact(text, Formats, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AllowWhiteSpaces, out var parsed))
        {
            // a zone named by its abbreviation: the clock time is local to it
            unixSeconds = (offset == TimeSpan.Zero ? parsed : new DateTimeOffset(parsed.DateTime, offset)).ToUnixTimeSeconds();
            return true;
        }
        return false;
    }
}
