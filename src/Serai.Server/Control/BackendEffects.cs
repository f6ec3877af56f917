using Serai.Core.Model;
using Serai.Execution;
using Serai.Runtime.Execution;
using Serai.Runtime.Lifecycle;
using Serai.Server.Jobs;

namespace Serai.Server.Control;

/// <summary>
/// The runtime's effects on real backends: each start, stop and throttle goes to the backend of the job's site
/// without waiting (never blocking the loop); answers come back as events posted to the loop.
/// </summary>
public sealed class BackendEffects(IExecutionBackend backend, Func<HubModel> hub, Func<long, JobRequest?> request, Action<ControlEvent> post, ILogger logger) : IRuntimeEffects
{
    public bool Dispatch(in JobDispatch dispatch)
    {
        var model = hub();
        var job = dispatch.Job;
        var pool = model.Pools[job.Placement.Pool];
        var site = model.Sites[pool.Site].Name;
        var jobRef = new JobRef(job.Id.Value, dispatch.Attempt, site);
        if (request(job.Id.Value) is not { } r)
        {
            post(new DispatchAnswered(jobRef, null, "the job's request is not known to the control loop"));
            return false;
        }
        // a job queued ahead waits in the site's queue for whichever GPUs free first: its nodes are the site's choice
        var ahead = dispatch.QueuedAhead;
        var nodes = job.Placement.Nodes.Select((node, i) => new LaunchNode(ahead ? -1 : node, null, job.Placement.GpuIndexes(i).ToArray())).ToList();
        var (output, error) = JobOutputFiles.For(r, job.Id.Value);
        var launch = new JobLaunch(job.Id.Value, dispatch.Attempt, r.Tenant, site, pool.Name, nodes, pool.Accelerator.Vendor, r.Command, r.TimeLimitSeconds,
            JobEnvironment.For(r), r.WorkingDirectory, output, error);
        _ = DispatchAsync(launch);
        return false;
    }

    public bool Stop(in JobStop stop)
    {
        var site = SiteOf(stop.Pool);
        var kind = stop.Cause == StopCause.Cancelled ? StopKind.Cancel : StopKind.Preempt;
        _ = StopAsync(new JobRef(stop.Job.Value, stop.Attempt, site), kind);
        return false;
    }

    public void Throttle(in JobThrottle throttle)
    {
        var site = SiteOf(throttle.Pool);
        _ = ThrottleAsync(new JobRef(throttle.Job.Value, throttle.Attempt, site), throttle.PowerFraction, throttle.TdpWatts);
    }

    private string SiteOf(int pool)
    {
        var model = hub();
        return model.Sites[model.Pools[pool].Site].Name;
    }

    private async Task DispatchAsync(JobLaunch launch)
    {
        try
        {
            var handle = await backend.DispatchAsync(launch, CancellationToken.None).ConfigureAwait(false);
            post(new DispatchAnswered(launch.Job, handle, null));
        }
        catch (Exception e) when (e is DispatchException or UnknownSiteException or IOException or InvalidOperationException)
        {
            post(new DispatchAnswered(launch.Job, null, $"dispatch to the {backend.Name} backend failed: {e.Message}", e is DispatchException { SiteUnreachable: true }));
        }
    }

    private async Task StopAsync(JobRef job, StopKind kind)
    {
        try
        {
            await backend.StopAsync(job, kind, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.LogError(e, "stopping {Job} failed; its GPUs stay held until its backend reports it stopped", job);
        }
    }

    private async Task ThrottleAsync(JobRef job, double fraction, double tdpWatts)
    {
        try
        {
            var what = await backend.ThrottleAsync(job, fraction, tdpWatts, CancellationToken.None).ConfigureAwait(false);
            logger.LogInformation("{Job} throttled to {Fraction:P0}: {What}", job, fraction, what);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.LogWarning(e, "throttling {Job} failed", job);
        }
    }
}
