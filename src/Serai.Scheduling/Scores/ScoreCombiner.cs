using Serai.Core.Jobs;
using Serai.Scheduling.Plugins;

namespace Serai.Scheduling.Scores;

/// <summary>
/// Normalises each score to 0..100 over the candidate pools as a ratio to the best candidate (so that a 20 % cheaper
/// pool scores 80, not 0 as min-max scaling would give) and returns the best pool by weighted sum.
/// </summary>
internal sealed class ScoreCombiner(WeightedScore[] scores, int poolCount)
{
    private readonly double[] _raw = new double[poolCount];
    private readonly double[] _total = new double[poolCount];

    /// <summary>Index into <paramref name="candidates"/> of the best pool, and its score out of 100.</summary>
    public (int Best, double Score) Best(ISchedulingView view, JobSpec job, List<int> candidates)
    {
        if (candidates.Count == 1)
        {
            return (0, 100);
        }
        Array.Clear(_total, 0, candidates.Count);
        var weightSum = 0.0;
        foreach (var (score, weight) in scores)
        {
            weightSum += weight;
            double min = double.MaxValue, max = double.MinValue;
            for (var i = 0; i < candidates.Count; i++)
            {
                var raw = score.Raw(view, job, candidates[i]);
                _raw[i] = raw;
                min = Math.Min(min, raw);
                max = Math.Max(max, raw);
            }
            for (var i = 0; i < candidates.Count; i++)
            {
                _total[i] += weight * 100 * Normalised(_raw[i], min, max, score.LowerIsBetter);
            }
        }
        var best = 0;
        for (var i = 1; i < candidates.Count; i++)
        {
            if (_total[i] > _total[best] + 1e-9)
            {
                best = i;
            }
        }
        return (best, weightSum > 0 ? _total[best] / weightSum : 100);
    }

    private static double Normalised(double raw, double min, double max, bool lowerIsBetter)
    {
        if (max - min <= 1e-12)
        {
            return 1;
        }
        if (lowerIsBetter)
        {
            return raw <= 0 ? 1 : Math.Max(0, min) / raw;
        }
        return max <= 0 ? 1 : Math.Max(0, raw) / max;
    }
}
