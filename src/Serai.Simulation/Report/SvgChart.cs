using System.Globalization;
using System.Net;
using System.Text;

namespace Serai.Simulation.Report;

/// <summary>A named series of points for a chart; dashed series draw limits (caps, grid connections).</summary>
public sealed record ChartSeries(string Name, IReadOnlyList<(double X, double Y)> Points, bool Dashed = false);

/// <summary>Inline SVG charts written by hand (no scripts, no CDN): line charts and grouped bar charts.</summary>
public static class SvgChart
{
    private const int Width = 860;
    private const int Height = 280;
    private const int Left = 70;
    private const int Right = 20;
    private const int Top = 30;
    private const int Bottom = 40;
    private const int MaxPoints = 1500;

    public static readonly string[] Colors = ["#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf"];

    public static string Line(string title, string xLabel, string yLabel, IReadOnlyList<ChartSeries> series, double? yMin = 0)
    {
        var all = series.SelectMany(s => s.Points).Where(p => double.IsFinite(p.X) && double.IsFinite(p.Y)).ToArray();
        var sb = Open(title);
        if (all.Length == 0)
        {
            return Close(sb.Append(Text(Width / 2, Height / 2, "no data", "middle")));
        }
        var (x0, x1) = (all.Min(p => p.X), all.Max(p => p.X));
        var (y0, y1) = (yMin ?? all.Min(p => p.Y), all.Max(p => p.Y));
        if (x1 <= x0)
        {
            x1 = x0 + 1;
        }
        if (y1 <= y0)
        {
            y1 = y0 + 1;
        }
        y1 += (y1 - y0) * 0.05;
        Axes(sb, x0, x1, y0, y1, xLabel, yLabel);
        for (var i = 0; i < series.Count; i++)
        {
            var s = series[i];
            var points = Thin(s.Points);
            var path = string.Join(" ", points.Select(p => F(X(p.X, x0, x1)) + "," + F(Y(p.Y, y0, y1))));
            var dash = s.Dashed ? " stroke-dasharray=\"6 4\"" : "";
            sb.Append(CultureInfo.InvariantCulture, $"<polyline fill=\"none\" stroke=\"{Colors[i % Colors.Length]}\" stroke-width=\"1.5\"{dash} points=\"{path}\"/>");
        }
        Legend(sb, series.Select(s => s.Name).ToArray());
        return Close(sb);
    }

    /// <summary>Bars per category, one bar per group (e.g. share and entitlement per tenant).</summary>
    public static string Bars(string title, string yLabel, IReadOnlyList<string> categories, IReadOnlyList<(string Name, double[] Values)> groups)
    {
        var sb = Open(title);
        var max = groups.SelectMany(g => g.Values).DefaultIfEmpty(1).Max();
        max = max <= 0 ? 1 : max * 1.1;
        Axes(sb, 0, categories.Count, 0, max, "", yLabel, xTicks: false);
        var slot = (Width - Left - Right) / (double)Math.Max(1, categories.Count);
        var bar = slot * 0.8 / Math.Max(1, groups.Count);
        for (var c = 0; c < categories.Count; c++)
        {
            for (var g = 0; g < groups.Count; g++)
            {
                var v = groups[g].Values[c];
                var x = Left + c * slot + slot * 0.1 + g * bar;
                var y = Y(v, 0, max);
                sb.Append(CultureInfo.InvariantCulture, $"<rect x=\"{F(x)}\" y=\"{F(y)}\" width=\"{F(bar)}\" height=\"{F(Height - Bottom - y)}\" fill=\"{Colors[g % Colors.Length]}\"><title>{Esc(categories[c])} {Esc(groups[g].Name)}: {v:F3}</title></rect>");
            }
            sb.Append(Text(Left + c * slot + slot / 2, Height - Bottom + 14, categories[c], "middle", 10));
        }
        Legend(sb, groups.Select(g => g.Name).ToArray());
        return Close(sb);
    }

    private static StringBuilder Open(string title) => new StringBuilder()
        .Append(CultureInfo.InvariantCulture, $"<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {Width} {Height}\" width=\"{Width}\" height=\"{Height}\" font-family=\"sans-serif\" font-size=\"11\">")
        .Append(Text(Width / 2, 16, title, "middle", 13));

    private static string Close(StringBuilder sb) => sb.Append("</svg>").ToString();

    private static void Axes(StringBuilder sb, double x0, double x1, double y0, double y1, string xLabel, string yLabel, bool xTicks = true)
    {
        sb.Append(CultureInfo.InvariantCulture, $"<line x1=\"{Left}\" y1=\"{Height - Bottom}\" x2=\"{Width - Right}\" y2=\"{Height - Bottom}\" stroke=\"#333\"/>");
        sb.Append(CultureInfo.InvariantCulture, $"<line x1=\"{Left}\" y1=\"{Top}\" x2=\"{Left}\" y2=\"{Height - Bottom}\" stroke=\"#333\"/>");
        for (var i = 0; i <= 4; i++)
        {
            var yv = y0 + (y1 - y0) * i / 4;
            var y = Y(yv, y0, y1);
            sb.Append(CultureInfo.InvariantCulture, $"<line x1=\"{Left}\" y1=\"{F(y)}\" x2=\"{Width - Right}\" y2=\"{F(y)}\" stroke=\"#eee\"/>");
            sb.Append(Text(Left - 4, y + 4, Num(yv), "end"));
            if (xTicks)
            {
                var xv = x0 + (x1 - x0) * i / 4;
                sb.Append(Text(X(xv, x0, x1), Height - Bottom + 14, Num(xv), "middle"));
            }
        }
        sb.Append(Text((Left + Width - Right) / 2.0, Height - 6, xLabel, "middle"));
        sb.Append(CultureInfo.InvariantCulture, $"<text x=\"14\" y=\"{(Top + Height - Bottom) / 2}\" text-anchor=\"middle\" transform=\"rotate(-90 14 {(Top + Height - Bottom) / 2})\">{Esc(yLabel)}</text>");
    }

    private static void Legend(StringBuilder sb, string[] names)
    {
        var x = Left + 10.0;
        for (var i = 0; i < names.Length; i++)
        {
            sb.Append(CultureInfo.InvariantCulture, $"<rect x=\"{F(x)}\" y=\"{Top - 2}\" width=\"10\" height=\"10\" fill=\"{Colors[i % Colors.Length]}\"/>");
            sb.Append(Text(x + 14, Top + 7, names[i], "start"));
            x += 24 + names[i].Length * 6.2;
        }
    }

    private static IReadOnlyList<(double X, double Y)> Thin(IReadOnlyList<(double X, double Y)> points)
    {
        if (points.Count <= MaxPoints)
        {
            return points;
        }
        var step = (int)Math.Ceiling(points.Count / (double)MaxPoints);
        var thin = new List<(double, double)>();
        for (var i = 0; i < points.Count; i += step)
        {
            var end = Math.Min(points.Count, i + step);
            var best = points[i];
            for (var k = i; k < end; k++)
            {
                if (points[k].Y > best.Y)
                {
                    best = points[k];
                }
            }
            thin.Add((points[i].X, best.Y)); // keep the peak of each bucket: caps matter at peaks
        }
        return thin;
    }

    private static double X(double v, double x0, double x1) => Left + (v - x0) / (x1 - x0) * (Width - Left - Right);
    private static double Y(double v, double y0, double y1) => Height - Bottom - (v - y0) / (y1 - y0) * (Height - Top - Bottom);
    private static string F(double v) => v.ToString("F1", CultureInfo.InvariantCulture);

    private static string Num(double v) => Math.Abs(v) switch
    {
        >= 1e6 => (v / 1e6).ToString("0.##", CultureInfo.InvariantCulture) + "M",
        >= 1e4 => (v / 1e3).ToString("0.#", CultureInfo.InvariantCulture) + "k",
        >= 100 => v.ToString("0", CultureInfo.InvariantCulture),
        _ => v.ToString("0.##", CultureInfo.InvariantCulture),
    };

    private static string Text(double x, double y, string text, string anchor, int size = 11) =>
        string.Create(CultureInfo.InvariantCulture, $"<text x=\"{F(x)}\" y=\"{F(y)}\" text-anchor=\"{anchor}\" font-size=\"{size}\">{Esc(text)}</text>");

    public static string Esc(string text) => WebUtility.HtmlEncode(text);
}
