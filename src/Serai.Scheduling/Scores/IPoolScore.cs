using Serai.Core.Jobs;
using Serai.Scheduling.Plugins;

namespace Serai.Scheduling.Scores;

/// <summary>
/// The score extension point: a raw figure for running the job on a pool (dollars, grams, seconds, a fraction) that
/// the cycle normalises to 0..100 over the candidate pools and weighs by the profile's weight for this plugin.
/// </summary>
public interface IPoolScore
{
    string Name { get; }

    bool LowerIsBetter { get; }

    double Raw(ISchedulingView view, JobSpec job, int pool);
}
