using Serai.Core.Energy;
using YamlDotNet.RepresentationModel;

namespace Serai.Config.Reading;

/// <summary>
/// Reads an hourly series from CSV: 8760 data rows (UTC hours of a non-leap year), an optional header, '#' comments
/// and blank lines skipped; the value is the last column, so <c>time,value</c> rows work as well as bare values.
/// </summary>
internal static class SeriesFile
{
    private const int MaxRowErrors = 5;

    public static HourlySeries? Read(string path, YamlNode node, string field, NumberRule rule, LoadContext context)
    {
        var fullPath = Path.IsPathRooted(path) ? path : Path.Combine(context.BaseDirectory, path);
        string[] lines;
        try
        {
            lines = File.ReadAllLines(fullPath);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            context.Errors.Add(node, field, path, $"a readable CSV file relative to the config file ({e.Message})");
            return null;
        }
        var values = new List<float>(HourlySeries.HoursPerYear);
        var badRows = 0;
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i].Trim();
            if (line.Length == 0 || line.StartsWith('#'))
            {
                continue;
            }
            var cells = line.Split(',');
            var cell = cells[^1].Trim();
            if (NumberRule.TryParse(cell, out var value) && rule.Accepts(value))
            {
                values.Add((float)value);
                continue;
            }
            var isHeader = values.Count == 0 && badRows == 0 && !NumberRule.TryParse(cell, out _);
            if (isHeader)
            {
                continue;
            }
            if (++badRows <= MaxRowErrors)
            {
                var column = lines[i].LastIndexOf(',') + 2;
                context.Errors.AddAt(fullPath, i + 1, column, field, line, $"{rule.Allowed}, as the last column of the row");
            }
        }
        if (badRows > MaxRowErrors)
        {
            context.Errors.AddAt(fullPath, lines.Length, 1, field, $"{badRows - MaxRowErrors} more bad rows", "every row a number");
        }
        if (badRows == 0 && values.Count != HourlySeries.HoursPerYear)
        {
            context.Errors.AddAt(fullPath, Math.Max(1, lines.Length), 1, field, $"{values.Count} rows",
                $"{HourlySeries.HoursPerYear} hourly rows (a non-leap year, UTC hours), after an optional header");
        }
        return badRows == 0 && values.Count == HourlySeries.HoursPerYear ? new HourlySeries([.. values]) : null;
    }
}
