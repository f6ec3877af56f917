using Serai.Core.Jobs;
using Serai.Scheduling.Plugins;
using Serai.Scheduling.Profiles;

namespace Serai.Scheduling.Deferral;

/// <summary>
/// The deferral extension point, asked after the permanent filters: should this flexible job wait for a better hour?
/// Returns a <see cref="DecisionKind.Defer"/> decision, or null to schedule it now.
/// </summary>
public interface IDeferral
{
    string Name { get; }

    /// <summary><paramref name="pools"/> are those the permanent filters allow; <paramref name="settings"/> come from the profile.</summary>
    Decision? TryDefer(ISchedulingView view, PendingJob pending, IReadOnlyList<int> pools, DeferralSettings settings, CycleState state);
}
