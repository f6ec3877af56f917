using System.Globalization;
using Serai.Simulation.Output;

namespace Serai.Simulation.Tests.Outputs;

/// <summary>jobs.csv writes energy and carbon with its own formatter: it must write exactly what "F3" writes.</summary>
public sealed class ThreeDecimalsTests
{
    [Fact]
    public void Writes_what_F3_writes_for_random_values_half_thousandths_and_edges()
    {
        var random = new Random(7);
        var values = new List<double> { 0, 0.0005, 0.0015, 54.1365, 7.9475, 999.9995, 1e11 + 0.0005, 1e12, 1e15, -0.0004, -3.5, double.NaN, double.PositiveInfinity };
        for (var i = 0; i < 200_000; i++)
        {
            values.Add(random.NextDouble() * Math.Pow(10, random.Next(-4, 10)));
            values.Add(random.Next(0, 10_000_000) / 1000.0 + 0.0005); // on a half thousandth, as joules / 3.6e6 often are
            values.Add(random.Next(0, 1_000_000) * 3.6e-4 / 3.6);
        }
        foreach (var v in values)
        {
            Assert.Equal(v.ToString("F3", CultureInfo.InvariantCulture), string.Create(CultureInfo.InvariantCulture, $"{new JobsCsv.ThreeDecimals(v)}"));
        }
    }
}
