using System.Globalization;

namespace Serai.Contracts;

/// <summary>Time limits written as sbatch writes them: MM, MM:SS, HH:MM:SS, D-HH, D-HH:MM, D-HH:MM:SS.</summary>
public static class TimeLimit
{
    public const string Formats = "MM, MM:SS, HH:MM:SS, D-HH, D-HH:MM or D-HH:MM:SS (e.g. 90, 2:00:00, 1-12)";
    public const long MaxSeconds = 365L * 86400;

    /// <summary>Seconds, or null when the text is not a time limit of 1 s up to a year.</summary>
    public static long? Parse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }
        var t = text.Trim();
        long days = 0;
        var dash = t.IndexOf('-', StringComparison.Ordinal);
        if (dash >= 0)
        {
            if (!TryNumber(t[..dash], out days))
            {
                return null;
            }
            var rest = Split(t[(dash + 1)..]);
            if (rest is null || rest.Length > 3)
            {
                return null;
            }
            var (h, m, s) = (rest[0], rest.Length > 1 ? rest[1] : 0, rest.Length > 2 ? rest[2] : 0);
            return Checked(days * 86400 + h * 3600 + m * 60 + s, rest.Skip(1).All(v => v < 60));
        }
        var parts = Split(t);
        return parts switch
        {
            [var minutes] => Checked(minutes * 60, true),
            [var minutes, var seconds] => Checked(minutes * 60 + seconds, seconds < 60),
            [var hours, var minutes, var seconds] => Checked(hours * 3600 + minutes * 60 + seconds, minutes < 60 && seconds < 60),
            _ => null,
        };
    }

    public static string Format(long seconds)
    {
        var span = TimeSpan.FromSeconds(seconds);
        return span.Days > 0
            ? string.Create(CultureInfo.InvariantCulture, $"{span.Days}-{span.Hours:00}:{span.Minutes:00}:{span.Seconds:00}")
            : string.Create(CultureInfo.InvariantCulture, $"{span.Hours:00}:{span.Minutes:00}:{span.Seconds:00}");
    }

    private static long? Checked(long seconds, bool fieldsInRange) => fieldsInRange && seconds is > 0 and <= MaxSeconds ? seconds : null;

    private static long[]? Split(string text)
    {
        var parts = text.Split(':');
        var values = new long[parts.Length];
        for (var i = 0; i < parts.Length; i++)
        {
            if (!TryNumber(parts[i], out values[i]))
            {
                return null;
            }
        }
        return values;
    }

    private static bool TryNumber(string text, out long value) =>
        long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out value) && value <= 1_000_000;
}
