using Serai.Core.Jobs;
using Serai.Scheduling.Cycle;
using Serai.Scheduling.Profiles;

namespace Serai.Scheduling.Scores;

/// <summary>
/// A score plugin: a raw figure for running the job on a pool (watts-dollars, grams, seconds, a fraction) that the
/// cycle normalises to 0..100 over the candidate pools and weighs by the profile.
/// </summary>
public interface IPoolScore
{
    string Name { get; }

    bool LowerIsBetter { get; }

    double Weight(ScoreWeights weights);

    double Raw(CycleContext context, JobSpec job, int pool);
}
