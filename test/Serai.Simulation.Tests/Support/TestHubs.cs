using Serai.Core.Jobs;
using Serai.Core.Model;
using Serai.Simulation.Hubs;
using Serai.Simulation.Workloads;

namespace Serai.Simulation.Tests.Support;

/// <summary>Small hubs and workloads for tests.</summary>
internal static class TestHubs
{
    public const long Start = Serai.Simulation.Engine.SimulationOptions.DefaultStartUnix;

    /// <summary>One site, one pool of <paramref name="nodes"/> nodes of 8 H100s; generous power.</summary>
    public static HubModel Tiny(int nodes = 2) => new HubBuilder("tiny").WithDefaultCatalogue()
        .Site("site-a", Climate.Astana, 10e6, 20e6, 20e6).Pool("h100", "H100", nodes)
        .Tenant("t1", 1, 1000).Tenant("t2", 1, 1000)
        .Build();

    public static JobSpec Job(HubModel hub, long submitOffset, int gpus, bool checkpointable = false, int tenant = 0) => new()
    {
        Id = new JobId(0),
        Tenant = tenant,
        Gpus = gpus,
        StackMask = hub.StackMask(["cuda"]),
        SubmitUnix = Start + submitOffset,
        EstimatedSeconds = 3600,
        Checkpointable = checkpointable,
    };

    public static Workload Workload(HubModel hub, params (long Submit, int Gpus, long Duration)[] jobs) =>
        Serai.Simulation.Workloads.Workload.Create(jobs.Select(j => Job(hub, j.Submit, j.Gpus)).ToArray(), jobs.Select(j => j.Duration).ToArray());

    public static string SampleFolder()
    {
        var dir = AppContext.BaseDirectory;
        while (dir is not null && !Directory.Exists(Path.Combine(dir, "samples", "traces", "itp-sample")))
        {
            dir = Path.GetDirectoryName(dir);
        }
        return dir is null
            ? Serai.Simulation.Running.WorkloadLoader.ExtractSample(Path.Combine(Path.GetTempPath(), "serai-itp-sample"))
            : Path.Combine(dir, "samples", "traces", "itp-sample");
    }
}
