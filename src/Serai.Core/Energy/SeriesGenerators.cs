namespace Serai.Core.Energy;

/// <summary>
/// Builds hourly series from a few published figures when no measured series exists: monthly mean temperatures plus
/// a daily cycle; a carbon-intensity and price shape around a yearly mean. These are models, not measurements
/// (see FACTS.md: no public hourly profile exists for Central Asia).
/// </summary>
public static class SeriesGenerators
{
    private static readonly int[] DaysInMonth = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

    /// <summary>
    /// Temperature: monthly means placed mid-month and interpolated linearly between months (cyclic), plus a cosine
    /// daily cycle with its minimum at 03:00 and maximum at 15:00 local time. <paramref name="dailyRangeC"/> is the
    /// peak-to-peak range per month.
    /// </summary>
    public static HourlySeries Temperature(double[] monthlyMeanC, double[] dailyRangeC, double utcOffsetHours)
    {
        var values = new float[HourlySeries.HoursPerYear];
        var midDay = new double[12];
        var start = 0;
        for (var m = 0; m < 12; m++)
        {
            midDay[m] = start + DaysInMonth[m] / 2.0;
            start += DaysInMonth[m];
        }
        for (var h = 0; h < HourlySeries.HoursPerYear; h++)
        {
            var localHour = h + utcOffsetHours;
            var day = localHour / 24.0;
            var (mean, range) = (Interpolate(monthlyMeanC, midDay, day), Interpolate(dailyRangeC, midDay, day));
            var hourOfDay = ((localHour % 24) + 24) % 24;
            var daily = range / 2.0 * Math.Cos(2 * Math.PI * (hourOfDay - 15) / 24.0);
            values[h] = (float)(mean + daily);
        }
        return new HourlySeries(values);
    }

    /// <summary>
    /// Carbon intensity: yearly mean, lower around local midday by <paramref name="middayDipFraction"/> (solar) and
    /// lower in April–June by <paramref name="springDipFraction"/> (snow-melt hydro); renormalised to the mean.
    /// </summary>
    public static HourlySeries Carbon(double meanGPerKwh, double middayDipFraction, double springDipFraction, double utcOffsetHours)
    {
        var raw = new double[HourlySeries.HoursPerYear];
        for (var h = 0; h < raw.Length; h++)
        {
            var local = h + utcOffsetHours;
            var hourOfDay = ((local % 24) + 24) % 24;
            var solar = Math.Max(0, Math.Cos(2 * Math.PI * (hourOfDay - 13) / 24.0 * 2));
            var sunUp = hourOfDay is >= 7 and <= 19 ? solar : 0;
            var dayOfYear = local / 24.0;
            var spring = Math.Max(0, Math.Cos(2 * Math.PI * (dayOfYear - 135) / 365.0));
            raw[h] = 1 - middayDipFraction * sunUp - springDipFraction * spring * spring;
        }
        return Normalised(raw, meanGPerKwh);
    }

    /// <summary>Price: a two-level tariff, peak between the given local hours, renormalised to the yearly mean.</summary>
    public static HourlySeries Price(double meanUsdPerKwh, double peakToOffPeakRatio, int peakFromLocalHour, int peakToLocalHour, double utcOffsetHours)
    {
        var raw = new double[HourlySeries.HoursPerYear];
        for (var h = 0; h < raw.Length; h++)
        {
            var hourOfDay = (int)((((h + utcOffsetHours) % 24) + 24) % 24);
            var peak = hourOfDay >= peakFromLocalHour && hourOfDay < peakToLocalHour;
            raw[h] = peak ? peakToOffPeakRatio : 1.0;
        }
        return Normalised(raw, meanUsdPerKwh);
    }

    private static HourlySeries Normalised(double[] raw, double mean)
    {
        var scale = mean / raw.Average();
        return new HourlySeries(raw.Select(v => (float)(v * scale)).ToArray());
    }

    private static double Interpolate(double[] monthly, double[] midDay, double day)
    {
        day = ((day % 365) + 365) % 365;
        for (var m = 0; m < 12; m++)
        {
            var next = (m + 1) % 12;
            var from = midDay[m];
            var to = next == 0 ? midDay[0] + 365 : midDay[next];
            var d = day < midDay[0] ? day + 365 : day;
            if (d >= from && d < to)
            {
                var t = (d - from) / (to - from);
                return monthly[m] + (monthly[next] - monthly[m]) * t;
            }
        }
        return monthly[0];
    }
}
