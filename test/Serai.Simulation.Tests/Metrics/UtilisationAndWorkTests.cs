using Serai.Scheduling.Profiles;
using Serai.Simulation.Tests.Support;

namespace Serai.Simulation.Tests.Metrics;

public sealed class UtilisationAndWorkTests
{
    [Fact]
    public void Busy_window_utilisation_shows_GPUs_left_idle_while_jobs_wait()
    {
        var hub = TestHubs.Tiny(nodes: 2);
        // the 16-GPU gang waits for the long job; fifo keeps the small jobs behind it while a node idles, slurm backfills them
        (long Submit, int Gpus, long Duration)[] jobs = [(0, 8, 40_000), (10, 16, 3600), .. Enumerable.Range(0, 10).Select(i => (20L + i, 8, 3600L))];
        var workload = Serai.Simulation.Workloads.Workload.Create(jobs.Select(j => TestHubs.Job(hub, j.Submit, j.Gpus) with { EstimatedSeconds = j.Duration }).ToArray(), jobs.Select(j => j.Duration).ToArray());
        var fifoRun = Runs.Run(hub, workload, BuiltInProfiles.Fifo);
        var slurmRun = Runs.Run(hub, workload, BuiltInProfiles.Slurm);
        var (fifo, slurm) = (fifoRun.Summary, slurmRun.Summary);
        Assert.True(slurm.UtilisationBusyWindow > fifo.UtilisationBusyWindow + 0.2, $"slurm {slurm.UtilisationBusyWindow:P1}, fifo {fifo.UtilisationBusyWindow:P1}");
        Assert.True(slurm.UtilisationBusyWindow > 0.9, $"slurm {slurm.UtilisationBusyWindow:P1}"); // the small jobs fill the free node until the gang starts
        Assert.True(fifo.BusyWindowHours > slurm.BusyWindowHours);
    }

    [Fact]
    public void Reference_GPU_hours_and_carbon_per_GPU_hour_count_the_work_of_completed_jobs()
    {
        var hub = TestHubs.Tiny(nodes: 2);
        var workload = TestHubs.Workload(hub, (0, 8, 3600), (0, 4, 1800), (100, 2, 900));
        var s = Runs.Run(hub, workload, BuiltInProfiles.Slurm).Summary;
        Assert.Equal(8 + 2 + 0.5, s.ReferenceGpuHoursDelivered, 6);
        Assert.Equal(s.ReferenceGpuHoursDelivered, s.GpuHoursHeld, 6); // nothing preempted: held = delivered
        Assert.Equal(s.JobCarbonTonnes * 1000 / s.ReferenceGpuHoursDelivered, s.JobCarbonKgPerReferenceGpuHour, 9);
        Assert.True(s.HubCarbonKgPerReferenceGpuHour > s.JobCarbonKgPerReferenceGpuHour);
        Assert.Equal(0, s.UtilisationBusyWindow); // no job ever waited
    }
}
