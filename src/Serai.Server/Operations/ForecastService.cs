using Serai.Core.Jobs;
using Serai.Runtime;
using Serai.Runtime.Forecast;
using Serai.Runtime.Lifecycle;
using Serai.Scheduling;
using Serai.Server.Control;
using Serai.Server.Jobs;

namespace Serai.Server.Operations;

/// <summary>A start forecast of a pending job, or why there is none (held, waiting for a dependency, not pending).</summary>
public sealed record JobForecastOutcome(StartForecast? Forecast, string? NotPending, string? KeptOut);

/// <summary>
/// Start forecasts and what-ifs on the live hub: the control loop's runtime is copied on its thread (<see cref="LiveImage"/>),
/// then run forward away from it with a fresh scheduler of the same profile, so the loop waits only for the copy.
/// A scheduler that is not the built-in one (a test's double) is run on the loop itself.
/// </summary>
public sealed class ForecastService(ControlLoop loop, ISchedulingPolicy policy)
{
    /// <summary>The id a job forecast by `--test-only` has in the projection (never a stored job's).</summary>
    public const long TestOnlyJobId = 9_000_000_000_000_000_000;

    /// <summary>When and where a pending job would start; null forecast with a reason when it is not pending or kept out.</summary>
    public Task<JobForecastOutcome> ForJobAsync(long id, long horizonSeconds) =>
        RunAsync((image, p) =>
        {
            var forecast = StartForecaster.Forecast(image.Image, p, new JobId(id), horizonSeconds: horizonSeconds);
            return new JobForecastOutcome(forecast, null, null);
        }, runtime =>
        {
            if (!runtime.Jobs.TryGetSlot(new JobId(id), out var slot) || runtime.Jobs.Phase[slot] != JobPhase.Pending)
            {
                return new JobForecastOutcome(null, "the job is not pending", null);
            }
            var gate = Gate(runtime);
            gate?.BeginCycle(runtime);
            return gate is not null && !gate.MayOffer(runtime.Jobs.Spec[slot]) ? new JobForecastOutcome(null, null, gate.Reason(id) ?? "held back") : null;
        });

    /// <summary>When and where a job not submitted would start (`serai submit --test-only`).</summary>
    public async Task<StartForecast> ForSpecAsync(JobSpec spec, long horizonSeconds) =>
        (await RunAsync((image, p) => new JobForecastOutcome(StartForecaster.Forecast(image.Image, p, spec.Id, spec, horizonSeconds), null, null), _ => null)
            .ConfigureAwait(false)).Forecast!;

    /// <summary>What a scenario would do to each job over the next <paramref name="horizonSeconds"/>, against the same hours without it.</summary>
    public async Task<(long NowUnix, IReadOnlyList<JobImpact> Impacts)> WhatIfAsync(Func<LiveImage, IReadOnlyList<TimedChange>> scenario, long horizonSeconds)
    {
        (long, IReadOnlyList<JobImpact>) result = default;
        await RunAsync((image, _) =>
        {
            var changes = scenario(image.Image);
            result = (image.Image.NowUnix, WhatIf.Compare(image.Image, image.Policy, changes, image.Image.NowUnix + horizonSeconds));
            return new JobForecastOutcome(null, null, null);
        }, _ => null).ConfigureAwait(false);
        return result;
    }

    private static JobGate? Gate(HubRuntime runtime) => runtime.QueueGate as JobGate;

    /// <summary>
    /// Copies the runtime on the loop (unless <paramref name="early"/> answers there), then runs <paramref name="work"/>
    /// on a worker thread with fresh schedulers, or on the loop when the scheduler cannot be copied.
    /// </summary>
    private async Task<JobForecastOutcome> RunAsync(Func<Captured, ISchedulingPolicy, JobForecastOutcome> work, Func<HubRuntime, JobForecastOutcome?> early)
    {
        Func<ISchedulingPolicy>? fresh = policy is Scheduler s ? () => new Scheduler(s.Profile) { ExplainWaits = false } : null;
        JobForecastOutcome? answer = null;
        Captured? captured = null;
        var action = new LoopAction(runtime =>
        {
            answer = early(runtime);
            if (answer is not null)
            {
                return;
            }
            // the host's gate decides, as in a cycle, which pending jobs may run at all (held, dependencies, array limits)
            var gate = Gate(runtime);
            gate?.BeginCycle(runtime);
            var image = LiveImage.Capture(runtime, spec => gate?.MayOffer(spec) ?? true);
            if (fresh is null)
            {
                answer = work(new Captured(image, () => runtime.Policy), runtime.Policy);
            }
            else
            {
                captured = new Captured(image, fresh);
            }
        });
        loop.Post(action);
        await action.Done.Task.WaitAsync(TimeSpan.FromSeconds(30)).ConfigureAwait(false);
        if (answer is not null)
        {
            return answer;
        }
        return await Task.Run(() => work(captured!, captured!.Policy())).ConfigureAwait(false);
    }

    private sealed record Captured(LiveImage Image, Func<ISchedulingPolicy> Policy);
}
