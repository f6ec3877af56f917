namespace Serai.Core.Energy;

/// <summary>A value for every UTC hour of a (non-leap) year; read by Unix time, repeating every year.</summary>
public sealed class HourlySeries
{
    public const int HoursPerYear = 8760;
    private readonly float[] _values;

    public HourlySeries(float[] values)
    {
        if (values.Length != HoursPerYear)
        {
            throw new ArgumentException($"an hourly series needs {HoursPerYear} values, got {values.Length}", nameof(values));
        }
        _values = values;
        Min = values.Min();
        Max = values.Max();
        Mean = values.Average();
    }

    public static HourlySeries Constant(double value) => new(Enumerable.Repeat((float)value, HoursPerYear).ToArray());

    public double Min { get; }
    public double Max { get; }
    public double Mean { get; }

    public double this[int hourOfYear] => _values[hourOfYear];

    public double At(long unixSeconds) => _values[HourOfYear(unixSeconds)];

    /// <summary>UTC hour of the year, 0..8759; the 29th of February reads as the 28th.</summary>
    public static int HourOfYear(long unixSeconds)
    {
        var time = DateTimeOffset.FromUnixTimeSeconds(unixSeconds).UtcDateTime;
        var day = time.DayOfYear - 1;
        if (DateTime.IsLeapYear(time.Year) && day >= 59)
        {
            day -= 1;
        }
        return Math.Min(day * 24 + time.Hour, HoursPerYear - 1);
    }
}
