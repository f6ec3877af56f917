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

    private static void AssertNone(RandomScenario.Step step, Func<string, bool> kind)
    {
        var violations = Invariants.Violations(step.State, step.NowUnix).Where(kind).ToList();
        Assert.True(violations.Count == 0, string.Join("\n", violations));
    }
}
