namespace Serai.Simulation.Metrics;

/// <summary>Mean, median, p95, p99 and max of a sample (nearest rank), in the sample's unit.</summary>
public sealed record Distribution(int Count, double Mean, double Median, double P95, double P99, double Max)
{
    public static readonly Distribution Empty = new(0, 0, 0, 0, 0, 0);

    public static Distribution Of(List<double> values)
    {
        if (values.Count == 0)
        {
            return Empty;
        }
        var sorted = values.ToArray();
        Array.Sort(sorted);
        return new Distribution(sorted.Length, sorted.Average(), Rank(sorted, 0.5), Rank(sorted, 0.95), Rank(sorted, 0.99), sorted[^1]);
    }

    public static double Rank(double[] sorted, double q) =>
        sorted.Length == 0 ? 0 : sorted[Math.Clamp((int)Math.Ceiling(q * sorted.Length) - 1, 0, sorted.Length - 1)];
}
