using Serai.Execution;

namespace Serai.Slurm.Tests.Live;

/// <summary>A job over its time limit, on uz-n2 (its own class: it takes over a minute and runs beside the serial ones).</summary>
public sealed class TimeLimitTests
{
    [Fact]
    public async Task A_job_over_its_time_limit_ends_as_timed_out_with_the_reason()
    {
        if (!LiveClusters.Available())
        {
            return;
        }
        using var backend = LiveClusters.Backend("uz");
        var events = new EventLog(backend);
        var launch = LiveClusters.Launch("uz", 1, ["sleep", "600"], limitSeconds: 20); // Slurm's whole minute: 1 min
        await backend.DispatchAsync(launch, CancellationToken.None);
        var ended = await events.WaitForAsync<JobEnded>(e => e.Job == launch.Job, 150);
        Assert.Equal(JobEndKind.TimedOut, ended.Kind);
        Assert.Contains("time limit", ended.Reason, StringComparison.Ordinal);
    }
}
