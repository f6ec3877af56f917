using System.Globalization;

namespace Serai.Config.Tests;

public sealed class SeriesFileTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("serai-config-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string WriteHub(string climateReplacement)
    {
        var text = BaseHub.With("    climate:\n      monthlyMeanC: [-14, -13, -6, 5, 13, 19, 21, 19, 12, 4, -5, -11]\n      dailyRangeC: 10\n", climateReplacement);
        var path = Path.Combine(_dir, "hub.yaml");
        File.WriteAllText(path, text);
        return path;
    }

    private void WriteSeries(string name, IEnumerable<string> rows) => File.WriteAllLines(Path.Combine(_dir, name), rows);

    private static IEnumerable<string> Hours(Func<int, string> value) => Enumerable.Range(0, 8760).Select(value);

    [Fact]
    public void A_temperature_file_with_a_header_and_time_column_replaces_the_climate_model()
    {
        WriteSeries("astana.csv", ["hour,temperature_c", .. Hours(h => string.Create(CultureInfo.InvariantCulture, $"{h},{h % 24 - 10.5}"))]);
        var result = HubConfigLoader.LoadFile(WriteHub("    temperatureFile: astana.csv\n"));

        Assert.True(result.Ok, string.Join("\n", result.Errors));
        var series = result.Hub!.Sites[0].TemperatureC;
        Assert.Equal(-10.5, series[0], 3);
        Assert.Equal(12.5, series[23], 3);
    }

    [Fact]
    public void A_bad_row_is_reported_with_the_series_file_and_its_line()
    {
        WriteSeries("astana.csv", Hours(h => h == 99 ? "warm" : "5"));
        var error = Assert.Single(HubConfigLoader.LoadFile(WriteHub("    temperatureFile: astana.csv\n")).Errors);

        Assert.Equal(Path.Combine(_dir, "astana.csv"), error.File);
        Assert.Equal(100, error.Line);
        Assert.Equal("sites[0].temperatureFile", error.Field);
        Assert.Equal("warm", error.Value);
        Assert.Contains("°C", error.Allowed, StringComparison.Ordinal);
    }

    [Fact]
    public void A_file_with_too_few_rows_says_how_many_it_has()
    {
        WriteSeries("carbon.csv", Enumerable.Repeat("500", 8759));
        var text = File.ReadAllText(WriteHub("    climate:\n      monthlyMeanC: [1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1]\n"))
            .Replace("    carbon:\n      meanGPerKwh: 592\n", "    carbonFile: carbon.csv\n", StringComparison.Ordinal);
        var error = Assert.Single(HubConfigLoader.Load(text, Path.Combine(_dir, "hub.yaml"), _dir).Errors);

        Assert.Equal("sites[0].carbonFile", error.Field);
        Assert.Equal("8759 rows", error.Value);
        Assert.Contains("8760", error.Allowed, StringComparison.Ordinal);
    }

    [Fact]
    public void A_missing_series_file_is_an_error_at_the_key()
    {
        var path = WriteHub("    temperatureFile: nowhere.csv\n");
        var error = Assert.Single(HubConfigLoader.LoadFile(path).Errors);

        Assert.Equal(path, error.File);
        Assert.Equal("sites[0].temperatureFile", error.Field);
        Assert.Equal("nowhere.csv", error.Value);
    }

    [Fact]
    public void Climate_and_temperature_file_together_is_an_error()
    {
        WriteSeries("astana.csv", Hours(_ => "5"));
        var error = Assert.Single(HubConfigLoader.LoadFile(WriteHub(
            "    temperatureFile: astana.csv\n    climate:\n      monthlyMeanC: [1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1]\n")).Errors);

        Assert.Equal("sites[0].temperatureFile", error.Field);
        Assert.Contains("not both", error.Allowed, StringComparison.Ordinal);
    }
}
