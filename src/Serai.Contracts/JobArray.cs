using System.Globalization;

namespace Serai.Contracts;

/// <summary>`--array 0-99%10`, `1,3,5-7`, `0-20:5`: the task indexes of a job array and how many may run at once.</summary>
public sealed record JobArray(IReadOnlyList<int> Indexes, int? Limit)
{
    public const int MaxTasks = 10_000;
    public const int MaxIndex = 1_000_000;
    public const string Formats = "N-M, N-M:STEP, N,M,... or any of these followed by %LIMIT (e.g. 0-99%10)";

    /// <summary>The array, or null with an error saying what is wrong.</summary>
    public static (JobArray? Array, string? Error) Parse(string text)
    {
        var spec = text.Trim();
        int? limit = null;
        var percent = spec.IndexOf('%', StringComparison.Ordinal);
        if (percent >= 0)
        {
            if (!int.TryParse(spec[(percent + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var l) || l < 1)
            {
                return (null, $"'{text}': the limit after % must be a positive whole number; allowed: {Formats}");
            }
            limit = l;
            spec = spec[..percent];
        }
        var indexes = new SortedSet<int>();
        foreach (var part in spec.Split(','))
        {
            var (range, stepText) = part.Split(':') is { Length: 2 } s ? (s[0], s[1]) : (part, "1");
            var bounds = range.Split('-');
            if (bounds.Length is < 1 or > 2 || !int.TryParse(stepText, NumberStyles.None, CultureInfo.InvariantCulture, out var step) || step < 1
                || !bounds.All(b => int.TryParse(b, NumberStyles.None, CultureInfo.InvariantCulture, out var v) && v <= MaxIndex))
            {
                return (null, $"'{text}' is not a job array; allowed: {Formats}, indexes 0 to {MaxIndex}");
            }
            var from = int.Parse(bounds[0], CultureInfo.InvariantCulture);
            var to = int.Parse(bounds[^1], CultureInfo.InvariantCulture);
            if (to < from)
            {
                return (null, $"'{text}': range {from}-{to} ends before it starts");
            }
            for (var i = from; i <= to; i += step)
            {
                indexes.Add(i);
                if (indexes.Count > MaxTasks)
                {
                    return (null, $"'{text}' has more than {MaxTasks} tasks; split it into several arrays");
                }
            }
        }
        return (new JobArray(indexes.ToList(), limit), null);
    }
}
