using Serai.Core.Energy;

namespace Serai.Core.Tests;

public class HourlySeriesTests
{
    private static readonly double[] AstanaMonthlyC = [-14.2, -13.5, -6.5, 5, 13, 18.5, 20.8, 18.5, 12, 4, -5, -11.5];

    [Fact]
    public void Generated_temperature_keeps_the_monthly_means_and_peaks_in_the_afternoon()
    {
        var series = SeriesGenerators.Temperature(AstanaMonthlyC, Enumerable.Repeat(12.0, 12).ToArray(), utcOffsetHours: 5);
        var july = Enumerable.Range(181 * 24, 31 * 24).Select(h => series[h]).Average();
        Assert.InRange(july, 19.5, 21.5);
        var julyFifteenth = 195 * 24;
        var threePmLocalUtcHour = julyFifteenth + 10;
        var threeAmLocalUtcHour = julyFifteenth + 22 - 24;
        Assert.True(series[threePmLocalUtcHour] - series[threeAmLocalUtcHour] > 10);
    }

    [Fact]
    public void Hour_of_year_reads_a_leap_day_as_the_day_before()
    {
        var leapDayNoon = new DateTimeOffset(2028, 2, 29, 12, 0, 0, TimeSpan.Zero).ToUnixTimeSeconds();
        Assert.Equal(58 * 24 + 12, HourlySeries.HourOfYear(leapDayNoon));
        var newYearsEve = new DateTimeOffset(2028, 12, 31, 23, 0, 0, TimeSpan.Zero).ToUnixTimeSeconds();
        Assert.Equal(8759, HourlySeries.HourOfYear(newYearsEve));
    }

    [Fact]
    public void Carbon_and_price_shapes_keep_the_yearly_mean()
    {
        Assert.Equal(592, SeriesGenerators.Carbon(592, 0.05, 0.1, 5).Mean, 0);
        Assert.Equal(0.06, SeriesGenerators.Price(0.06, 1.5, 8, 22, 5).Mean, 4);
    }
}
