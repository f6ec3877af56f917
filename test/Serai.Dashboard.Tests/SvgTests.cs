using Serai.Server.Dashboard;
using Serai.Server.Dashboard.Pages;

namespace Serai.Dashboard.Tests;

/// <summary>The server-side charts and helpers, without a browser.</summary>
public sealed class SvgTests
{
    [Theory]
    [InlineData(50, 100, "100", "ok")]
    [InlineData(95, 100, "190", "high")]
    [InlineData(150, 100, "200", "over")]
    [InlineData(0, 0, "0", "ok")]
    public void A_meter_fills_in_proportion_and_says_how_close_to_the_limit(double value, double limit, string width, string level)
    {
        var svg = Svg.Meter(value, limit, "IT power");
        Assert.Contains($"class=\"meter-fill {level}\" width=\"{width}\"", svg, StringComparison.Ordinal);
        Assert.Contains("aria-label=\"IT power\"", svg, StringComparison.Ordinal);
    }

    [Fact]
    public void A_timeline_places_marks_in_time_order_and_encodes_their_labels()
    {
        var svg = Svg.Timeline([new(1000, "submit", "submitted"), new(1500, "place", "<b>placed</b>"), new(2000, "end", "ended")], 2000);
        Assert.Contains("cx=\"10\"", svg, StringComparison.Ordinal);
        Assert.Contains("cx=\"300\"", svg, StringComparison.Ordinal);
        Assert.Contains("cx=\"590\"", svg, StringComparison.Ordinal);
        Assert.Contains("&lt;b&gt;placed&lt;/b&gt;", svg, StringComparison.Ordinal);
        Assert.DoesNotContain("<b>", svg, StringComparison.Ordinal);
    }

    [Fact]
    public void A_scatter_scales_points_to_the_plot_area()
    {
        var svg = Svg.Scatter([(0, 1.1), (40, 1.5)], "outdoor °C", "PUE");
        Assert.Contains("cx=\"50\" cy=\"200\"", svg, StringComparison.Ordinal);
        Assert.Contains("cx=\"390\" cy=\"10\"", svg, StringComparison.Ordinal);
        Assert.Equal("<p>No samples yet.</p>", Svg.Scatter([], "x", "y"));
    }

    [Fact]
    public void The_gpu_grid_has_one_cell_per_gpu_coloured_by_tenant()
    {
        var svg = Svg.GpuGrid(8, [("alpha", 0, 3), ("beta", 1, 2)], "pool");
        Assert.Equal(3, CountOf(svg, "class=\"t0\""));
        Assert.Equal(2, CountOf(svg, "class=\"t1\""));
        Assert.Equal(3, CountOf(svg, "class=\"free\""));
        var large = Svg.GpuGrid(8192, [("alpha", 0, 1024)], "pool");
        Assert.Equal(16, Svg.GpusPerCell(8192));
        Assert.Equal(64, CountOf(large, "class=\"t0\""));
        Assert.Equal(512 - 64, CountOf(large, "class=\"free\""));
    }

    private static int CountOf(string text, string part) => (text.Length - text.Replace(part, "", StringComparison.Ordinal).Length) / part.Length;

    [Theory]
    [InlineData("job 3 waits: no pool has 8 free GPUs", null, "capacity")]
    [InlineData("job 3 waits: tenant x would exceed its borrow limit (quota)", null, "quota")]
    [InlineData("job 3 waits: site IT power cap reached", null, "power")]
    [InlineData("job 3 waits: cooling capacity at 41 °C", null, "cooling")]
    [InlineData("job 3 waits: AI system x is high-risk and not approved", null, "waiting for approval")]
    [InlineData("anything", 1800000000L, "deferred")]
    [InlineData(null, null, "not yet considered")]
    public void Queue_reasons_fall_into_groups(string? reason, long? notBefore, string group) =>
        Assert.Equal(group, QueuePage.GroupOf(reason, notBefore));

    [Theory]
    [InlineData(950, "950 W")]
    [InlineData(8000, "8.0 kW")]
    [InlineData(2_000_000, "2.00 MW")]
    public void Power_reads_in_its_best_unit(double watts, string text) => Assert.Equal(text, Html.Watts(watts));

    [Theory]
    [InlineData("/jobs?state=failed", "/jobs?state=failed")]
    [InlineData("//evil.example/", "/")]
    [InlineData("https://evil.example/", "/")]
    [InlineData("/\\evil", "/")]
    [InlineData(null, "/")]
    public void Sign_in_returns_only_to_local_paths(string? url, string expected) => Assert.Equal(expected, SignInEndpoints.SafeReturn(url));
}
