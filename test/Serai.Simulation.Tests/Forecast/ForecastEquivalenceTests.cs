using Serai.Core.Jobs;
using Serai.Core.Model;
using Serai.Runtime.Forecast;
using Serai.Scheduling;
using Serai.Scheduling.Profiles;
using Serai.Simulation.Engine;
using Serai.Simulation.Tests.Support;
using Serai.Simulation.Workloads;

namespace Serai.Simulation.Tests.Forecast;

/// <summary>
/// A forecast is the simulator's own future: a copy of the runtime taken mid-run and run forward by <see cref="HubProjection"/>
/// starts every waiting job exactly when and where the simulator then starts it, when jobs end at their time limits and
/// nothing else arrives.
/// </summary>
public sealed class ForecastEquivalenceTests
{
    private sealed class Capture(long atUnix) : ISimulationObserver
    {
        public LiveImage? Image { get; private set; }

        /// <summary>Each job's first start after the capture, and its pool.</summary>
        public Dictionary<int, (long AtUnix, int Pool)> StartsAfter { get; } = [];

        public void OnJobStarted(Simulator sim, int job, long nowUnix)
        {
            if (Image is not null)
            {
                StartsAfter.TryAdd(job, (nowUnix, sim.Jobs.Pool[job]));
            }
        }

        public void OnTimestampDone(Simulator sim, long nowUnix)
        {
            if (nowUnix == atUnix)
            {
                Image = LiveImage.Capture(sim.Runtime);
            }
        }
    }

    [Theory]
    [InlineData("serai", 1)]
    [InlineData("serai", 2)]
    [InlineData("slurm", 3)]
    [InlineData("fifo", 4)]
    public void Every_waiting_job_starts_in_the_projection_when_and_where_it_starts_in_the_simulator(string profileName, int seed)
    {
        var profile = BuiltInProfiles.All.Single(p => p.Name == profileName);
        var hub = TestHubs.Tiny(nodes: 3);
        var random = new Random(seed);
        const int count = 60;
        var durations = Enumerable.Range(0, count).Select(_ => (long)random.Next(60, 7200)).ToArray();
        var specs = Enumerable.Range(0, count).Select(i => TestHubs.Job(hub, i * 2, random.Next(4) == 0 ? 8 * random.Next(1, 3) : random.Next(1, 9), tenant: i % 2) with
        {
            Id = new JobId(i),
            EstimatedSeconds = durations[i],
            Priority = random.Next(5) == 0 ? PriorityClass.Low : PriorityClass.Normal,
        }).ToArray();
        var workload = Workload.Create(specs, durations);
        var capture = new Capture(specs[^1].SubmitUnix);
        var sim = new Simulator(hub, workload, new Scheduler(profile) { ExplainWaits = false }, new SimulationOptions { StartUnix = TestHubs.Start }, observers: [capture]);
        sim.Run();

        var image = capture.Image!;
        Assert.True(image.Waiting.Count >= 10, $"only {image.Waiting.Count} jobs wait at the capture");
        var projection = new HubProjection(image, new Scheduler(profile) { ExplainWaits = false });
        projection.Run(image.NowUnix + 30 * 86400);
        foreach (var waiting in image.Waiting)
        {
            var slot = (int)waiting.Spec.Id.Value;
            var trace = projection.Trace(waiting.Spec.Id);
            var simulated = capture.StartsAfter[slot];
            Assert.True(trace?.FirstStartUnix == simulated.AtUnix, $"job {slot}: forecast {trace?.FirstStartUnix}, simulated {simulated.AtUnix}");
            Assert.Equal(simulated.Pool, trace!.FirstPool);
        }
        var last = image.Waiting[^1].Spec.Id;
        var single = StartForecaster.Forecast(image, new Scheduler(profile) { ExplainWaits = false }, last);
        Assert.Equal(capture.StartsAfter[(int)last.Value].AtUnix, single.StartUnix);
    }
}
