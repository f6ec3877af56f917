using Serai.Core.Energy;
using Serai.Core.Jobs;
using Serai.Core.Model;

namespace Serai.Scheduling.Tests.Support;

/// <summary>
/// A small hand-built hub for table-driven tests: a cold Kazakh site with H200 nodes and a hot Uzbek site with
/// MI300X and Ascend nodes; four tenants; one citizens' dataset that must stay in KZ; two high-risk AI systems.
/// </summary>
public static class TestHub
{
    public const int Astana = 0, Termez = 1;
    public const int H200Pool = 0, Mi300Pool = 1, AscendPool = 2;
    public const int Ministry = 0, Consortium = 1, Startup = 2, Foreign = 3;
    public const int KzCitizens = 0, OpenWeather = 1;
    public const int ApprovedHighRisk = 0, UnapprovedHighRisk = 1;
    public const int Cuda = 0, Rocm = 1, Cann = 2;

    public static readonly long JulyNoonUtc = new DateTimeOffset(2026, 7, 15, 10, 0, 0, TimeSpan.Zero).ToUnixTimeSeconds();
    public static readonly long JanuaryNightUtc = new DateTimeOffset(2026, 1, 15, 22, 0, 0, TimeSpan.Zero).ToUnixTimeSeconds();

    public static HubModel Build(double astanaItCapWatts = 1e6, double termezGridWatts = 2e6, double astanaCarbon = 600, double termezCarbon = 450)
    {
        string[] countries = ["KZ", "UZ"];
        string[] stacks = ["cuda", "rocm", "cann"];
        Accelerator[] accelerators =
        [
            new(0, "H200", "NVIDIA", "cuda", Cuda, 141, 989, 700, 80),
            new(1, "MI300X", "AMD", "rocm", Rocm, 192, 1307, 750, 90),
            new(2, "Ascend-910B", "Huawei", "cann", Cann, 64, 320, 310, 50),
        ];
        NodePool[] pools =
        [
            new(H200Pool, "h200", Astana, accelerators[0], Nodes: 4, GpusPerNode: 8, NodeOverheadWatts: 3000, NodesPerBlock: 2),
            new(Mi300Pool, "mi300x", Termez, accelerators[1], Nodes: 4, GpusPerNode: 8, NodeOverheadWatts: 3000, NodesPerBlock: 2),
            new(AscendPool, "ascend", Termez, accelerators[2], Nodes: 2, GpusPerNode: 8, NodeOverheadWatts: 2000, NodesPerBlock: 2),
        ];
        var cooling = new CoolingModel(17, 5, 0.04, 0.05, 0.01, CoolingModel.RenewItCop, 5e6, 35, 0.02);
        Site[] sites =
        [
            new(Astana, "kz-astana", "KZ", 0, 5, GridWatts: 3e6, ItCapWatts: astanaItCapWatts, cooling,
                SeriesGenerators.Temperature([-14.2, -13.5, -6.5, 5, 13, 18.5, 20.8, 18.5, 12, 4, -5, -11.5], Enumerable.Repeat(12.0, 12).ToArray(), 5),
                HourlySeries.Constant(astanaCarbon), HourlySeries.Constant(0.06), [H200Pool]),
            new(Termez, "uz-termez", "UZ", 1, 5, GridWatts: termezGridWatts, ItCapWatts: 2e6, cooling,
                SeriesGenerators.Temperature([3, 6, 12, 18, 24, 29, 31, 29, 23, 16, 9, 4], Enumerable.Repeat(20.0, 12).ToArray(), 5),
                HourlySeries.Constant(termezCarbon), HourlySeries.Constant(0.075), [Mi300Pool, AscendPool]),
        ];
        Tenant[] tenants =
        [
            new(Ministry, "emergencies", [8, 0, 0], 8, 2, 0b01, PriorityClasses.AllMask),
            new(Consortium, "kazllm", [16, 8, 0], 32, 4, 0b11, PriorityClasses.AllMask & ~PriorityClass.Emergency.Bit()),
            new(Startup, "startup", [0, 0, 0], 64, 1, 0b11, PriorityClasses.AllMask & ~PriorityClass.Emergency.Bit()),
            new(Foreign, "partner", [0, 0, 0], 16, 1, 0b10, PriorityClasses.AllMask & ~PriorityClass.Emergency.Bit()),
        ];
        Dataset[] datasets =
        [
            new(KzCitizens, "kz-citizens", Ministry, 500, Astana, 0b01),
            new(OpenWeather, "open-weather", Startup, 2000, Termez, 0b11),
        ];
        AiSystem[] ai =
        [
            new(ApprovedHighRisk, "flood-warning", Ministry, RiskClass.High, true),
            new(UnapprovedHighRisk, "credit-scoring", Startup, RiskClass.High, false),
        ];
        Link[] links = [new(Astana, Termez, 10, 25, true)];
        return new HubModel("test", countries, stacks, accelerators, sites, pools, links, tenants, datasets, ai);
    }

    private static long _nextId = 1000;

    public static JobSpec Job(int tenant, int gpus, uint stacks = 0b111, PriorityClass priority = PriorityClass.Normal, long submit = 0,
        long? estimate = null, int[]? datasets = null, int aiSystem = -1, bool checkpointable = false, double power = 0.8, int accelerator = -1,
        double memoryGb = 0, bool deferrable = false, long? deadline = null, long? id = null) => new()
    {
        Id = new JobId(id ?? Interlocked.Increment(ref _nextId)),
        Tenant = tenant,
        Gpus = gpus,
        StackMask = stacks,
        Priority = priority,
        SubmitUnix = submit,
        EstimatedSeconds = estimate,
        Datasets = datasets ?? [],
        AiSystem = aiSystem,
        Checkpointable = checkpointable,
        PowerFraction = power,
        Accelerator = accelerator,
        MinGpuMemoryGb = memoryGb,
        Deferrable = deferrable,
        DeadlineUnix = deadline,
    };
}
