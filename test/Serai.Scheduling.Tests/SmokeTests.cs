using Serai.Core.State;
using Serai.Core.Synthetic;
using Serai.Scheduling.Profiles;
using Serai.Scheduling.Tests.Support;

namespace Serai.Scheduling.Tests;

public class SmokeTests
{
    [Theory]
    [InlineData("fifo")]
    [InlineData("priority-fairshare")]
    [InlineData("serai")]
    [InlineData("sjf")]
    public void A_cycle_on_a_synthetic_hub_places_jobs_without_violations(string profile)
    {
        var random = new Random(7);
        var hub = SyntheticHub.Build(random, new SyntheticHubOptions(TotalGpus: 2000));
        var now = new DateTimeOffset(2026, 7, 15, 12, 0, 0, TimeSpan.Zero).ToUnixTimeSeconds();
        var state = new HubState(hub, now);
        var driver = new Driver(state, new Scheduler(BuiltInProfiles.ByName(profile)!));
        driver.Queue.AddRange(SyntheticJobs.Queue(random, hub, 800, now));
        var result = driver.Cycle(now);
        Assert.True(result.Placed > 0, $"nothing placed: {string.Join("; ", result.Decisions.Take(5).Select(d => d.Describe(hub)))}");
        Assert.Empty(Invariants.Violations(state, now));
    }
}
