using System.Globalization;

namespace Serai.Simulation.Traces;

/// <summary>
/// Reads a simple comma-separated file (no quoted commas in these traces) with a header; columns are found by
/// name so their order may vary. A format published without a header line (its names in a separate file, as Alibaba's
/// PAI tables) gives its column order: the file's first line is then data unless it is a header naming the first
/// column. Each parse failure becomes a <see cref="BadRow"/> with the file and line.
/// </summary>
internal sealed class CsvRows
{
    private readonly string _file;
    private readonly string _display;
    private readonly Dictionary<string, int> _columns = new(StringComparer.OrdinalIgnoreCase);
    private readonly bool _hasHeader = true;

    /// <summary>Opens <paramref name="file"/>: a header naming the <paramref name="required"/> columns, or for a format published without one, its <paramref name="published"/> columns in order.</summary>
    public CsvRows(string file, IReadOnlyList<string> required, IReadOnlyList<string>? published = null)
    {
        _file = file;
        _display = Path.GetFileName(file);
        using var reader = new StreamReader(file);
        var header = reader.ReadLine() ?? throw new TraceFormatException(_display, 1, "the file is empty; expected a header line");
        var names = header.Split(',');
        if (published is not null && !names[0].Trim().TrimStart('\uFEFF').Equals(published[0], StringComparison.OrdinalIgnoreCase))
        {
            _hasHeader = false;
            names = [.. published];
        }
        for (var i = 0; i < names.Length; i++)
        {
            _columns[names[i].Trim().TrimStart('\uFEFF')] = i;
        }
        var missing = required.Where(r => !_columns.ContainsKey(r)).ToArray();
        if (missing.Length > 0)
        {
            throw new TraceFormatException(_display, 1, $"missing column(s) {string.Join(", ", missing)}; the header must name {string.Join(",", required)}");
        }
    }

    public string DisplayName => _display;

    public int Column(string name) => _columns.TryGetValue(name, out var i) ? i : -1;

    /// <summary>Data rows with their 1-based line numbers; blank lines are skipped.</summary>
    public IEnumerable<(int Line, string[] Fields)> Rows()
    {
        using var reader = new StreamReader(_file);
        var line = 0;
        if (_hasHeader)
        {
            reader.ReadLine();
            line = 1;
        }
        while (reader.ReadLine() is { } text)
        {
            line++;
            if (text.Length == 0 || text.All(char.IsWhiteSpace))
            {
                continue;
            }
            yield return (line, text.Split(','));
        }
    }

    public static bool TryLong(string[] fields, int column, out long value, out string? error, string name, bool allowEmpty = false)
    {
        value = 0;
        error = null;
        var text = column >= 0 && column < fields.Length ? fields[column].Trim() : null;
        if (string.IsNullOrEmpty(text))
        {
            if (allowEmpty)
            {
                value = long.MinValue;
                return true;
            }
            error = $"{name} is missing";
            return false;
        }
        if (long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out value))
        {
            return true;
        }
        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && double.IsFinite(d) && Math.Abs(d) < 9e15)
        {
            value = (long)Math.Round(d);
            return true;
        }
        error = $"{name} '{text}' is not a number";
        return false;
    }

    /// <summary>An instant: epoch seconds or a date and time (<see cref="TraceTime"/>).</summary>
    public static bool TryTime(string[] fields, int column, out long value, out string? error, string name)
    {
        error = null;
        var text = Field(fields, column);
        if (text.Length == 0)
        {
            value = 0;
            error = $"{name} is missing";
            return false;
        }
        if (TraceTime.TryParse(text, out value))
        {
            return true;
        }
        error = $"{name} '{text}' is neither epoch seconds nor a date and time such as 2017-10-09 07:01:55 (optionally with a zone: Z, +08:00, UTC, PST)";
        return false;
    }

    public static string Field(string[] fields, int column) => column >= 0 && column < fields.Length ? fields[column].Trim() : "";
}
