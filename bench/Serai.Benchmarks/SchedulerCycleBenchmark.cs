using BenchmarkDotNet.Attributes;
using Serai.Core.Jobs;
using Serai.Core.State;
using Serai.Core.Synthetic;
using Serai.Scheduling;
using Serai.Scheduling.Profiles;

namespace Serai.Benchmarks;

/// <summary>
/// One scheduling cycle on an empty synthetic hub with a full queue. The scheduler rolls its tentative placements
/// back, so every invocation sees the same state. `serai bench scheduler` reports the same workload with per-job
/// latency percentiles; this is the BenchmarkDotNet view with allocation figures.
/// </summary>
[MemoryDiagnoser]
public class SchedulerCycleBenchmark
{
    private HubState _state = null!;
    private List<PendingJob> _queue = null!;
    private Scheduler _scheduler = null!;
    private long _now;

    [Params(10_000, 100_000)]
    public int Gpus { get; set; }

    [Params("fifo", "serai")]
    public string Profile { get; set; } = "serai";

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(42);
        var hub = SyntheticHub.Build(random, new SyntheticHubOptions(TotalGpus: Gpus, Tenants: 16, Datasets: 12, TightEnvelopes: false));
        _now = new DateTimeOffset(2026, 7, 1, 0, 0, 0, TimeSpan.Zero).ToUnixTimeSeconds();
        _queue = SyntheticJobs.Queue(random, hub, Gpus, _now);
        _state = new HubState(hub, _now);
        _scheduler = new Scheduler(BuiltInProfiles.ByName(Profile)!);
    }

    [Benchmark]
    public int Cycle() => _scheduler.Schedule(_state, _queue, _now, explainWaits: false).Placed;
}
