using Serai.Core.Model;
using Serai.Simulation.Hubs;
using Serai.Simulation.Workloads;

namespace Serai.Simulation.Tests.Workloads;

public class SyntheticWorkloadTests
{
    [Fact]
    public void The_synthetic_workload_has_every_kind_of_job_and_is_seeded()
    {
        var hub = SampleHubs.CentralAsia(8192);
        var w = SyntheticWorkload.Generate(hub, new SyntheticOptions(20_000, 3));
        Assert.Equal(20_000, w.Count);
        Assert.Contains(w.Jobs, j => j.Priority == PriorityClass.Emergency);
        Assert.Contains(w.Jobs, j => j.Gpus >= 256 && j.Gpus <= 1024 && w.DurationSeconds[(int)j.Id.Value] >= 7 * 86400);
        Assert.Contains(w.Jobs, j => j.Deferrable && j.DeadlineUnix > j.SubmitUnix);
        Assert.True(w.Jobs.Count(j => j.Gpus <= 2) > 10_000);
        Assert.True(w.Jobs.Zip(w.Jobs.Skip(1)).All(p => p.First.SubmitUnix <= p.Second.SubmitUnix));
        Assert.All(w.Jobs.Select((j, i) => (j, i)), p => Assert.Equal(p.i, p.j.Id.Value));
        var again = SyntheticWorkload.Generate(hub, new SyntheticOptions(20_000, 3));
        Assert.Equal(w.Jobs.Select(j => (j.SubmitUnix, j.Gpus, j.Tenant)), again.Jobs.Select(j => (j.SubmitUnix, j.Gpus, j.Tenant)));
    }
}
