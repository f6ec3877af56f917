using Serai.Core.Jobs;
using Serai.Scheduling.Cycle;

namespace Serai.Scheduling.Scores;

/// <summary>Normalises each score to 0..100 over the candidate pools and returns the best pool by weighted sum.</summary>
internal sealed class ScoreCombiner(IReadOnlyList<IPoolScore> scores, int poolCount)
{
    private readonly double[] _raw = new double[poolCount];
    private readonly double[] _total = new double[poolCount];

    /// <summary>Index into <paramref name="candidates"/> of the best pool, and its score out of 100.</summary>
    public (int Best, double Score) Best(CycleContext context, JobSpec job, IReadOnlyList<int> candidates)
    {
        if (candidates.Count == 1)
        {
            return (0, 100);
        }
        Array.Clear(_total, 0, candidates.Count);
        var weightSum = 0.0;
        foreach (var score in scores)
        {
            var weight = score.Weight(context.Profile.Weights);
            if (weight <= 0)
            {
                continue;
            }
            weightSum += weight;
            double min = double.MaxValue, max = double.MinValue;
            for (var i = 0; i < candidates.Count; i++)
            {
                var raw = score.Raw(context, job, candidates[i]);
                _raw[i] = raw;
                min = Math.Min(min, raw);
                max = Math.Max(max, raw);
            }
            var span = max - min;
            for (var i = 0; i < candidates.Count; i++)
            {
                var normalised = span <= 1e-12 ? 1 : score.LowerIsBetter ? (max - _raw[i]) / span : (_raw[i] - min) / span;
                _total[i] += weight * 100 * normalised;
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
}
