namespace Serai.Simulation.Traces;

/// <summary>A row that could not be read: file, 1-based line and why.</summary>
public sealed record BadRow(string File, int Line, string Message)
{
    public override string ToString() => $"{File}:{Line}: {Message}";
}

/// <summary>What reading traces found: rows read, bad rows (every one counted, the first ones kept) and rows filtered on purpose.</summary>
public sealed class TraceReadReport
{
    public const int KeptMessages = 200;
    private readonly List<BadRow> _bad = [];
    private readonly Dictionary<string, int> _filtered = new(StringComparer.Ordinal);

    public int RowsRead { get; internal set; }
    public int BadRowCount { get; private set; }
    public IReadOnlyList<BadRow> BadRows => _bad;

    /// <summary>Rows left out by design (e.g. Alibaba pods without GPUs), by reason.</summary>
    public IReadOnlyDictionary<string, int> Filtered => _filtered;

    /// <summary>Rows left out on purpose, all reasons together.</summary>
    public int FilteredCount => _filtered.Values.Sum();

    /// <summary>Every data row seen: kept, bad and left out.</summary>
    public int DataRows => RowsRead + BadRowCount + FilteredCount;

    /// <summary>Bad rows over the rows that were not left out on purpose.</summary>
    public double BadShare => RowsRead + BadRowCount == 0 ? 0 : (double)BadRowCount / (RowsRead + BadRowCount);

    /// <summary>
    /// Why the trace cannot be replayed: more than <paramref name="maxBadShare"/> of its rows are bad, or no job is
    /// left; the message shows the first bad rows. Null when it can.
    /// </summary>
    public string? Unusable(double maxBadShare, int show = 10)
    {
        string? why = null;
        if (BadRowCount > 0 && BadShare > maxBadShare)
        {
            why = string.Create(System.Globalization.CultureInfo.InvariantCulture,
                $"{BadRowCount} of {RowsRead + BadRowCount} rows ({BadShare:P1}) are bad, more than the {maxBadShare:P1} allowed (--max-bad-share)");
        }
        else if (RowsRead == 0)
        {
            why = $"no job is left to replay ({DataRows} data rows, {BadRowCount} bad, {FilteredCount} left out)";
        }
        if (why is null)
        {
            return null;
        }
        var lines = new List<string> { why };
        lines.AddRange(_filtered.OrderBy(f => f.Key, StringComparer.Ordinal).Select(f => $"{f.Value} rows left out: {f.Key}"));
        lines.AddRange(_bad.Take(show).Select(b => "  " + b));
        if (BadRowCount > show)
        {
            lines.Add($"  ... and {BadRowCount - show} more");
        }
        return string.Join(Environment.NewLine, lines);
    }

    internal void AddBad(BadRow row)
    {
        BadRowCount++;
        if (_bad.Count < KeptMessages)
        {
            _bad.Add(row);
        }
    }

    internal void AddFiltered(string reason) => _filtered[reason] = _filtered.GetValueOrDefault(reason) + 1;

    /// <summary>One paragraph for the console: counts and the first bad rows.</summary>
    public string Summary(int show = 10)
    {
        var lines = new List<string> { $"{RowsRead} rows read, {BadRowCount} bad rows skipped" };
        lines.AddRange(_filtered.OrderBy(f => f.Key, StringComparer.Ordinal).Select(f => $"{f.Value} rows left out: {f.Key}"));
        lines.AddRange(_bad.Take(show).Select(b => "  " + b));
        if (BadRowCount > show)
        {
            lines.Add($"  ... and {BadRowCount - show} more");
        }
        return string.Join(Environment.NewLine, lines);
    }
}

/// <summary>A trace file that cannot be used (missing columns, or a bad row under <see cref="BadRowPolicy.Fail"/>).</summary>
public sealed class TraceFormatException(string file, int line, string message)
    : Exception($"{file}:{line}: {message}")
{
    public string File { get; } = file;
    public int Line { get; } = line;
}
