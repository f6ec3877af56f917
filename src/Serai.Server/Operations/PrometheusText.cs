using System.Globalization;

namespace Serai.Server.Operations;

/// <summary>One sample of a Prometheus text exposition: metric name, labels, value and its optional time (Unix ms).</summary>
public sealed record PrometheusSample(string Name, IReadOnlyDictionary<string, string> Labels, double Value, long? TimestampMs);

/// <summary>
/// A metric and the labels a sample must carry, written as in PromQL without operators: <c>name</c> or
/// <c>name{label="value",other="x"}</c>.
/// </summary>
public sealed record MetricSelector(string Name, IReadOnlyDictionary<string, string> Labels)
{
    public bool Matches(PrometheusSample sample) =>
        sample.Name == Name && Labels.All(l => sample.Labels.TryGetValue(l.Key, out var v) && v == l.Value);

    /// <summary>The selector, or null with why it is not one.</summary>
    public static MetricSelector? Parse(string text, out string? error)
    {
        error = null;
        var t = text.Trim();
        var brace = t.IndexOf('{', StringComparison.Ordinal);
        var name = brace < 0 ? t : t[..brace];
        if (!PrometheusText.IsName(name))
        {
            error = $"'{text}' does not start with a metric name (letters, digits, _ and :, not starting with a digit)";
            return null;
        }
        if (brace < 0)
        {
            return new MetricSelector(name, new Dictionary<string, string>());
        }
        if (!t.EndsWith('}') || PrometheusText.Labels(t[(brace + 1)..^1]) is not { } labels)
        {
            error = $"'{text}': labels must be written {{label=\"value\",...}}";
            return null;
        }
        return new MetricSelector(name, labels);
    }

    public override string ToString() =>
        Labels.Count == 0 ? Name : $"{Name}{{{string.Join(",", Labels.Select(l => $"{l.Key}=\"{l.Value}\""))}}}";
}

/// <summary>Reads Prometheus' text exposition format (version 0.0.4): comments and blank lines skipped, a bad line skipped and counted.</summary>
public static class PrometheusText
{
    public static (List<PrometheusSample> Samples, int BadLines) Parse(string text)
    {
        var samples = new List<PrometheusSample>();
        var bad = 0;
        foreach (var raw in text.Split('\n'))
        {
            var line = raw.TrimEnd('\r').Trim();
            if (line.Length == 0 || line[0] == '#')
            {
                continue;
            }
            if (Sample(line) is { } sample)
            {
                samples.Add(sample);
            }
            else
            {
                bad++;
            }
        }
        return (samples, bad);
    }

    private static PrometheusSample? Sample(string line)
    {
        var nameEnd = 0;
        while (nameEnd < line.Length && line[nameEnd] != '{' && !char.IsWhiteSpace(line[nameEnd]))
        {
            nameEnd++;
        }
        var name = line[..nameEnd];
        if (!IsName(name))
        {
            return null;
        }
        IReadOnlyDictionary<string, string> labels = new Dictionary<string, string>();
        var rest = line[nameEnd..];
        if (rest.StartsWith('{'))
        {
            var close = ClosingBrace(rest);
            if (close < 0 || Labels(rest[1..close]) is not { } parsed)
            {
                return null;
            }
            labels = parsed;
            rest = rest[(close + 1)..];
        }
        var parts = rest.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length is < 1 or > 2 || !TryValue(parts[0], out var value))
        {
            return null;
        }
        long? at = null;
        if (parts.Length == 2)
        {
            if (!long.TryParse(parts[1], NumberStyles.Integer, CultureInfo.InvariantCulture, out var ms))
            {
                return null;
            }
            at = ms;
        }
        return new PrometheusSample(name, labels, value, at);
    }

    internal static bool IsName(string name) =>
        name.Length > 0 && !char.IsAsciiDigit(name[0]) && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or ':');

    private static int ClosingBrace(string text)
    {
        var quoted = false;
        for (var i = 1; i < text.Length; i++)
        {
            var c = text[i];
            if (quoted && c == '\\')
            {
                i++;
            }
            else if (c == '"')
            {
                quoted = !quoted;
            }
            else if (c == '}' && !quoted)
            {
                return i;
            }
        }
        return -1;
    }

    /// <summary>label="value" pairs separated by commas (a trailing comma allowed); escapes \\, \" and \n in values.</summary>
    internal static Dictionary<string, string>? Labels(string text)
    {
        var labels = new Dictionary<string, string>(StringComparer.Ordinal);
        var i = 0;
        while (true)
        {
            while (i < text.Length && (char.IsWhiteSpace(text[i]) || text[i] == ','))
            {
                i++;
            }
            if (i >= text.Length)
            {
                return labels;
            }
            var eq = text.IndexOf('=', i);
            if (eq < 0)
            {
                return null;
            }
            var key = text[i..eq].Trim();
            i = eq + 1;
            while (i < text.Length && char.IsWhiteSpace(text[i]))
            {
                i++;
            }
            if (!IsName(key) || i >= text.Length || text[i] != '"')
            {
                return null;
            }
            var value = new System.Text.StringBuilder();
            i++;
            while (i < text.Length && text[i] != '"')
            {
                if (text[i] == '\\' && i + 1 < text.Length)
                {
                    i++;
                    value.Append(text[i] == 'n' ? '\n' : text[i]);
                }
                else
                {
                    value.Append(text[i]);
                }
                i++;
            }
            if (i >= text.Length)
            {
                return null;
            }
            labels[key] = value.ToString();
            i++;
        }
    }

    private static bool TryValue(string text, out double value)
    {
        switch (text)
        {
            case "+Inf":
                value = double.PositiveInfinity;
                return true;
            case "-Inf":
                value = double.NegativeInfinity;
                return true;
            case "NaN":
                value = double.NaN;
                return true;
            default:
                return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out value);
        }
    }
}
