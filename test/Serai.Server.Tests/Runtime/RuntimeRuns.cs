using Dapper;
using Microsoft.Extensions.Logging.Abstractions;
using Serai.Core.Jobs;
using Serai.Core.Model;
using Serai.Scheduling;
using Serai.Scheduling.Profiles;
using Serai.Server.Control;
using Serai.Server.Persistence;
using Serai.Simulation.Engine;
using Serai.Simulation.Hubs;
using Serai.Simulation.Scenarios;
using Serai.Simulation.Workloads;

namespace Serai.Server.Tests.Runtime;

/// <summary>
/// One workload with preemptions, throttles and a heat wave, run through the hub runtime twice: as the simulator
/// runs it (a backend that answers at once, no journal) and as the server runs it (a backend that confirms starts and
/// stops later, the server's database journal on a real SQLite file), both on simulated time.
/// </summary>
internal sealed class RuntimeRuns : IDisposable
{
    public const long Start = 1_783_987_200; // 2026-07-14, summer: the envelope binds

    private readonly string _directory = TestDatabases.NewDirectory();

    public RuntimeRuns()
    {
        Hub = TwoSites();
        Workload = Busy(Hub);
        Scenario = ScenarioParser.Parse(["heatwave:uz-termez@1+1:+14", "grid:kz-astana@2+6:0.4"], Hub, Start, Start + 10 * 86400, 7);
    }

    public HubModel Hub { get; }
    public Workload Workload { get; }
    public Scenario Scenario { get; }
    public SeraiDatabase? Database { get; private set; }
    public DatabaseJournal? Journal { get; private set; }

    /// <summary>The simulator's way: answers at once, nothing journalled.</summary>
    public (Simulator Sim, DecisionLog Log) RunAsSimulator()
    {
        var log = new DecisionLog();
        var sim = new Simulator(Hub, Workload, Policy(), new SimulationOptions { StartUnix = Start }, Scenario, [log]);
        sim.Run();
        return (sim, log);
    }

    /// <summary>The server's way: confirmations come later, every move goes through the database journal first.</summary>
    public (Simulator Sim, DecisionLog Log) RunAsServer(Func<bool>? failWrites = null)
    {
        Database = new SeraiDatabase(DatabaseUrl.Parse(TestDatabases.NewSqlite(_directory)));
        Migrations.Apply(Database);
        var writer = new GroupCommitWriter(Database, NullLogger<GroupCommitWriter>.Instance);
        using (var c = Database.Open())
        {
            // the jobs exist in the database before the runtime hears of them, as submissions do
            foreach (var job in Workload.Jobs)
            {
                c.Execute("insert into jobs (id, tenant, state, priority, gpus, request_hash, spec, submit_unix, updated_unix) values (@id, @tenant, 'pending', 'normal', @gpus, '', '{}', @submit, @submit)",
                    new { id = job.Id.Value, tenant = Hub.Tenants[job.Tenant].Name, gpus = (long)job.Gpus, submit = job.SubmitUnix });
            }
        }
        var log = new DecisionLog();
        Journal = new DatabaseJournal(writer, () => Hub) { FailWrites = failWrites };
        var sim = new Simulator(Hub, Workload, Policy(), new SimulationOptions { StartUnix = Start, ConfirmAsynchronously = true }, Scenario, [log], Journal);
        sim.Run();
        return (sim, log);
    }

    /// <summary>Two NVIDIA sites of 8 nodes: Astana (cool) and Termez (hot, grid connection 1.3 × IT cap).</summary>
    private static HubModel TwoSites()
    {
        const double nameplate = 8 * (8 * 700 + 3000.0);
        PriorityClass[] all = [PriorityClass.Emergency, PriorityClass.High, PriorityClass.Normal, PriorityClass.Low, PriorityClass.Preemptible];
        return new HubBuilder("two-sites").WithDefaultCatalogue()
            .Site("kz-astana", Climate.Astana, nameplate * 0.95, nameplate * 0.95 * 1.45, nameplate * 1.1).Pool("h100", "H100", 8)
            .Site("uz-termez", Climate.Termez, nameplate * 0.95, nameplate * 0.95 * 1.3, nameplate * 1.1).Pool("h100", "H100", 8)
            .Link("kz-astana", "uz-termez", 100, 30, true)
            .Tenant("ops", 1, 10_000, classes: all).Tenant("research", 2, 10_000).Tenant("batch", 1, 10_000)
            .Build();
    }

    /// <summary>About 400 jobs over three days on 128 GPUs: mostly preemptible checkpointing batch work, some research, a few emergencies.</summary>
    private static Workload Busy(HubModel hub)
    {
        var random = new Random(11);
        var specs = new List<JobSpec>();
        var durations = new List<long>();
        for (var i = 0; i < 400; i++)
        {
            var kind = random.NextDouble();
            var (tenant, priority, gpus, duration) = kind switch
            {
                < 0.06 => (0, PriorityClass.Emergency, 8 << random.Next(2), 1800L + random.Next(3600)),
                < 0.35 => (1, PriorityClass.Normal, 1 << random.Next(4), 1800L + random.Next(4 * 3600)),
                _ => (2, PriorityClass.Preemptible, 1 << random.Next(4), 3600L + random.Next(6 * 3600)),
            };
            specs.Add(new JobSpec
            {
                Id = new JobId(i), Tenant = tenant, Gpus = gpus, StackMask = hub.StackMask(["cuda"]), Priority = priority,
                SubmitUnix = Start + random.NextInt64(3 * 86400), EstimatedSeconds = duration, Checkpointable = tenant == 2,
            });
            durations.Add(duration);
        }
        return Workload.Create(specs, durations);
    }

    private static Scheduler Policy() => new(BuiltInProfiles.Serai) { ExplainWaits = false };

    public void Dispose()
    {
        Database?.Dispose();
        TestDatabases.Remove(_directory);
    }
}

/// <summary>Every applied decision of a run (waits left out), and every start and stop of a job.</summary>
internal sealed class DecisionLog : ISimulationObserver
{
    public List<string> Decisions { get; } = [];
    public List<string> Starts { get; } = [];

    public void OnCycleApplied(Simulator sim, CycleResult result, long nowUnix)
    {
        foreach (var d in result.Decisions)
        {
            if (d.Kind != DecisionKind.Wait)
            {
                var p = d.Placement is { } x ? $"{x.Pool}:{string.Join(',', x.Nodes)}:{string.Join(',', x.GpuMasks)}" : "";
                Decisions.Add($"{nowUnix} {d.Kind} {d.Job} {p} {d.PowerFraction:F4} {d.UntilUnix}");
            }
        }
    }

    public void OnJobStarted(Simulator sim, int job, long nowUnix) => Starts.Add($"{nowUnix} start {job} attempt {sim.Jobs.Attempt[job]}");
}
