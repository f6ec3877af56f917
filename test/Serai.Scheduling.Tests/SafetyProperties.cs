using FsCheck.Xunit;
using Serai.Scheduling.Tests.Support;

namespace Serai.Scheduling.Tests;

/// <summary>Safety invariants over random hubs, workloads and disturbances, 1,000 cases each.</summary>
public class SafetyProperties
{
    private const int Cases = 1000;

    [Property(MaxTest = Cases, QuietOnSuccess = true)]
    public void No_GPU_is_ever_used_twice_and_gangs_are_whole(int seed) =>
        RandomScenario.Run(seed, step => AssertNone(step, v => v.StartsWith("GPU", StringComparison.Ordinal) || v.StartsWith("gang", StringComparison.Ordinal)));

    [Property(MaxTest = Cases, QuietOnSuccess = true)]
    public void IT_power_cooling_and_facility_power_stay_within_the_envelope(int seed) =>
        RandomScenario.Run(seed, step => AssertNone(step, v => v.StartsWith("site", StringComparison.Ordinal)));

    [Property(MaxTest = Cases, QuietOnSuccess = true)]
    public void Data_residency_is_never_broken(int seed) =>
        RandomScenario.Run(seed, step => AssertNone(step, v => v.StartsWith("residency", StringComparison.Ordinal)));

    [Property(MaxTest = Cases, QuietOnSuccess = true)]
    public void No_unapproved_high_risk_system_is_placed(int seed) =>
        RandomScenario.Run(seed, step => AssertNone(step, v => v.StartsWith("unapproved", StringComparison.Ordinal)));

    [Property(MaxTest = Cases, QuietOnSuccess = true)]
    public void Jobs_run_only_on_accelerators_of_their_software_stacks(int seed) =>
        RandomScenario.Run(seed, step => AssertNone(step, v => v.StartsWith("stack", StringComparison.Ordinal)));

    [Property(MaxTest = Cases, QuietOnSuccess = true)]
    public void Jobs_that_share_a_GPU_never_hold_more_than_1000_milli_of_it_and_never_share_with_whole_GPU_jobs(int seed) =>
        RandomScenario.Run(seed, step => AssertNone(step, v => v.StartsWith("GPU", StringComparison.Ordinal) || v.StartsWith("gang", StringComparison.Ordinal)), sharedGpuShare: 0.6);

    [Property(MaxTest = Cases, QuietOnSuccess = true)]
    public void With_shared_GPUs_the_envelope_holds_and_power_is_counted_by_share(int seed) =>
        RandomScenario.Run(seed, step =>
        {
            AssertNone(step, v => v.StartsWith("site", StringComparison.Ordinal));
            var hub = step.State.Hub;
            for (var s = 0; s < hub.Sites.Length; s++)
            {
                var busy = step.State.Running.Values.Where(j => hub.Pools[j.Placement.Pool].Site == s)
                    .Sum(j => hub.Pools[j.Placement.Pool].BusyDeltaWatts(j.Spec.GpuShare, j.PowerFraction));
                var idle = hub.Sites[s].PoolIndexes.Sum(p => hub.Pools[p].IdleWatts);
                var modelled = step.State.ModelledItWatts(s);
                // shares are booked to the milliwatt
                Assert.True(Math.Abs(idle + busy - modelled) <= 1e-9 * modelled + 1e-3 * step.State.Running.Count, $"site {s}: {modelled} W booked, {idle + busy} W by share");
            }
        }, sharedGpuShare: 0.6);

    private static void AssertNone(RandomScenario.Step step, Func<string, bool> kind)
    {
        var violations = Invariants.Violations(step.State, step.NowUnix).Where(kind).ToList();
        Assert.True(violations.Count == 0, string.Join("\n", violations));
    }
}
