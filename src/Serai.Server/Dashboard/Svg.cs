using System.Globalization;
using System.Text;
using static Serai.Server.Dashboard.Html;

namespace Serai.Server.Dashboard;

/// <summary>Charts drawn on the server as inline SVG: meters, the job timeline, a scatter plot and the GPU grid.</summary>
public static class Svg
{
    private static string F(double value) => value.ToString("0.##", CultureInfo.InvariantCulture);

    /// <summary>A horizontal meter of value against a limit; "high" from 90 % and "over" above the limit.</summary>
    public static string Meter(double value, double limit, string label)
    {
        const double width = 200;
        var fraction = limit > 0 ? value / limit : value > 0 ? 2 : 0;
        var level = fraction > 1.0001 ? "over" : fraction >= 0.9 ? "high" : "ok";
        var fill = Math.Clamp(fraction, 0, 1) * width;
        return $"<svg class=\"meter\" viewBox=\"0 0 {F(width)} 12\" preserveAspectRatio=\"none\" role=\"img\" aria-label=\"{E(label)}\">" +
            $"<rect class=\"meter-bg\" width=\"{F(width)}\" height=\"12\"/><rect class=\"meter-fill {level}\" width=\"{F(fill)}\" height=\"12\"/></svg>";
    }

    /// <summary>A mark on a timeline: when, what kind (its CSS class), and its label.</summary>
    public sealed record Mark(long AtUnix, string Kind, string Label);

    /// <summary>Marks on a horizontal time axis from the first mark to <paramref name="endUnix"/>, each with a tooltip title.</summary>
    public static string Timeline(IReadOnlyList<Mark> marks, long endUnix)
    {
        if (marks.Count == 0)
        {
            return "<p>No events yet.</p>";
        }
        const double width = 600, left = 10, right = 590;
        var start = marks.Min(m => m.AtUnix);
        var end = Math.Max(endUnix, marks.Max(m => m.AtUnix));
        var span = Math.Max(1, end - start);
        var svg = new StringBuilder($"<svg class=\"timeline\" viewBox=\"0 0 {F(width)} 60\" role=\"img\" aria-label=\"timeline of {marks.Count} events over {Duration(span)}\">");
        svg.Append($"<line class=\"axis\" x1=\"{F(left)}\" y1=\"30\" x2=\"{F(right)}\" y2=\"30\"/>");
        foreach (var m in marks)
        {
            var x = left + (right - left) * (m.AtUnix - start) / span;
            svg.Append($"<circle class=\"mark {E(m.Kind)}\" cx=\"{F(x)}\" cy=\"30\" r=\"6\"><title>{E(Time(m.AtUnix))} {E(m.Label)}</title></circle>");
        }
        svg.Append($"<text x=\"{F(left)}\" y=\"55\">{E(Time(start))}</text><text x=\"{F(right)}\" y=\"55\" text-anchor=\"end\">{E(Time(end))}</text></svg>");
        return svg.ToString();
    }

    /// <summary>A scatter plot of (x, y) points with labelled axes and their ranges.</summary>
    public static string Scatter(IReadOnlyList<(double X, double Y)> points, string xLabel, string yLabel)
    {
        const double w = 400, h = 240, l = 50, r = 390, t = 10, b = 200;
        if (points.Count == 0)
        {
            return "<p>No samples yet.</p>";
        }
        double xMin = points.Min(p => p.X), xMax = points.Max(p => p.X), yMin = points.Min(p => p.Y), yMax = points.Max(p => p.Y);
        if (xMax - xMin < 1e-9) { xMin -= 1; xMax += 1; }
        if (yMax - yMin < 1e-9) { yMin -= 0.05; yMax += 0.05; }
        var svg = new StringBuilder($"<svg class=\"scatter\" viewBox=\"0 0 {F(w)} {F(h)}\" role=\"img\" aria-label=\"{E(yLabel)} against {E(xLabel)}, {points.Count} samples\">");
        svg.Append($"<line class=\"axis\" x1=\"{F(l)}\" y1=\"{F(b)}\" x2=\"{F(r)}\" y2=\"{F(b)}\"/><line class=\"axis\" x1=\"{F(l)}\" y1=\"{F(t)}\" x2=\"{F(l)}\" y2=\"{F(b)}\"/>");
        foreach (var (x, y) in points)
        {
            svg.Append($"<circle class=\"dot\" cx=\"{F(l + (r - l) * (x - xMin) / (xMax - xMin))}\" cy=\"{F(b - (b - t) * (y - yMin) / (yMax - yMin))}\" r=\"3\"/>");
        }
        svg.Append($"<text x=\"{F(l)}\" y=\"{F(b + 15)}\">{F(xMin)}</text><text x=\"{F(r)}\" y=\"{F(b + 15)}\" text-anchor=\"end\">{F(xMax)}</text>");
        svg.Append($"<text x=\"{F((l + r) / 2)}\" y=\"{F(h - 5)}\" text-anchor=\"middle\">{E(xLabel)}</text>");
        svg.Append($"<text x=\"{F(l - 4)}\" y=\"{F(b)}\" text-anchor=\"end\">{F(yMin)}</text><text x=\"{F(l - 4)}\" y=\"{F(t + 10)}\" text-anchor=\"end\">{F(yMax)}</text>");
        svg.Append($"<text x=\"12\" y=\"{F((t + b) / 2)}\" text-anchor=\"middle\" transform=\"rotate(-90 12 {F((t + b) / 2)})\">{E(yLabel)}</text></svg>");
        return svg.ToString();
    }

    /// <summary>GPUs one cell of the grid stands for: 1, or more for a pool too large for <paramref name="maxCells"/> cells.</summary>
    public static int GpusPerCell(int totalGpus, int maxCells = 512) => Math.Max(1, (totalGpus + maxCells - 1) / maxCells);

    /// <summary>One cell per GPU (or per <see cref="GpusPerCell"/> GPUs) of a pool: held ones in their tenant's colour, then the free ones.</summary>
    public static string GpuGrid(int totalGpus, IReadOnlyList<(string Tenant, int TenantIndex, int Gpus)> held, string label)
    {
        const int perRow = 32, cell = 12;
        var per = GpusPerCell(totalGpus);
        var cells = (totalGpus + per - 1) / per;
        var rows = Math.Max(1, (cells + perRow - 1) / perRow);
        var svg = new StringBuilder($"<svg class=\"gpugrid\" viewBox=\"0 0 {perRow * cell} {rows * cell}\" role=\"img\" aria-label=\"{E(label)}\">");
        var i = 0;
        foreach (var (tenant, index, gpus) in held)
        {
            var mine = Math.Max(gpus > 0 ? 1 : 0, (int)Math.Round((double)gpus / per));
            for (var k = 0; k < mine && i < cells; k++, i++)
            {
                svg.Append($"<rect class=\"{(index < 0 ? "other" : TenantClass(index))}\" x=\"{i % perRow * cell}\" y=\"{i / perRow * cell}\" width=\"{cell - 2}\" height=\"{cell - 2}\"><title>{E(tenant)}</title></rect>");
            }
        }
        for (; i < cells; i++)
        {
            svg.Append($"<rect class=\"free\" x=\"{i % perRow * cell}\" y=\"{i / perRow * cell}\" width=\"{cell - 2}\" height=\"{cell - 2}\"><title>free</title></rect>");
        }
        return svg.Append("</svg>").ToString();
    }
}
