using System.Globalization;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Serai.Contracts;
using Serai.Runtime.Forecast;
using Serai.Server.Auth;
using Serai.Server.Control;
using Serai.Server.Jobs;
using Serai.Server.Notifications;
using Serai.Server.Operations;
using Serai.Server.Persistence;

namespace Serai.Server.Apis;

/// <summary>
/// Start forecasts for the whole hub (what `sbatch --test-only` and `squeue --start` give for one cluster):
/// `GET /api/v1/jobs/{id}/forecast` for a pending job the caller may see, `POST /api/v1/jobs/test-only` for a job not submitted.
/// </summary>
public static class ForecastApi
{
    /// <summary>When and where a job would most likely start, and why; times are Unix seconds.</summary>
    public sealed record ForecastView(long? Job, string State, long NowUnix, long? HorizonUnix, long? StartUnix, long? StartsInSeconds,
        string? Site, string? Pool, string? Accelerator, string Why, string? WaitReason, string Text, IReadOnlyList<string>? Notes = null);

    public static RouteGroupBuilder MapForecastApi(this RouteGroupBuilder api)
    {
        var jobs = api.MapGroup("/jobs").WithTags("Jobs");
        jobs.MapGet("/{id}/forecast", ForJobAsync)
            .WithSummary("When and where a pending job would most likely start, and why (the hub run forward from now)")
            .WithName("ForecastJob").ProducesProblem(StatusCodes.Status401Unauthorized);
        jobs.MapPost("/test-only", TestOnlyAsync).Accepts<SubmitJobBody>("application/json")
            .WithSummary("Validate a job and forecast when and where it would start; submits nothing (sbatch --test-only)")
            .WithName("TestSubmitJob").ProducesValidationProblem().ProducesProblem(StatusCodes.Status401Unauthorized);
        WhatIfApi.Map(api);
        return api;
    }

    private static async Task<Results<Ok<ForecastView>, NotFound<ProblemDetails>, ValidationProblem>> ForJobAsync(
        HttpContext context, string id, string? horizonSeconds, JobStore store, ControlLoop loop, ForecastService forecasts)
    {
        var errors = new FieldErrors();
        var horizon = Horizon(horizonSeconds, errors);
        var found = await JobsApi.FindAsync(context, id, store);
        if (found.Invalid is { } invalid)
        {
            return invalid;
        }
        if (found.Missing is { } missing)
        {
            return missing;
        }
        if (errors.Any)
        {
            return errors.ToProblem("invalid forecast");
        }
        var row = found.Row!;
        if (row.State == JobStates.Pending)
        {
            var outcome = await forecasts.ForJobAsync(row.Id, horizon);
            var reason = loop.WaitReason(row.Id);
            if (outcome.Forecast is { } f)
            {
                return TypedResults.Ok(View(row.Id, f, reason));
            }
            if (outcome.KeptOut is { } kept)
            {
                var why = $"kept out of scheduling: {kept}; no start can be forecast until that changes";
                return TypedResults.Ok(new ForecastView(row.Id, row.State, loop.Snapshot.AtUnix, null, null, null, null, null, null, why, reason, $"job {row.Id}: {why}"));
            }
            row = await store.GetAsync(row.Id, context.RequestAborted) ?? row; // it left the queue meanwhile
        }
        var now = loop.Snapshot.AtUnix;
        var started = row.AdmittedUnix ?? row.StartedUnix;
        var text = JobStates.IsTerminal(row.State)
            ? $"job {row.Id} has ended ({row.State})"
            : $"job {row.Id} is {row.State} on {row.Site}/{row.Pool} since {Time(started ?? now)}";
        return TypedResults.Ok(new ForecastView(row.Id, row.State, now, null, started, null, row.Site, row.Pool, null, text, null, text));
    }

    private static async Task<Results<Ok<ForecastView>, ValidationProblem>> TestOnlyAsync(
        HttpContext context, string? horizonSeconds, HubHolder hubs, ForecastService forecasts, TimeProvider time, NotifyPolicy notifyPolicy)
    {
        var (body, invalid) = await JsonBody.ReadAsync(context, "invalid job submission");
        if (invalid is not null)
        {
            return invalid;
        }
        var errors = new FieldErrors();
        var horizon = Horizon(horizonSeconds, errors);
        var now = time.GetUtcNow().ToUnixTimeSeconds();
        var request = SubmitJobParser.Parse(body, Caller.From(context.User), hubs.Hub, hubs.AiSystems, now, errors, notifyPolicy);
        if (request is null || errors.Any)
        {
            return errors.ToProblem("invalid job submission");
        }
        var (spec, error) = JobSpecs.Resolve(hubs.Hub, hubs.AiSystems, ForecastService.TestOnlyJobId, request, now);
        if (spec is null)
        {
            return FieldErrors.One("body", error!, "invalid job submission");
        }
        var notes = new List<string> { "nothing was submitted (test only)" };
        if (request.Hold)
        {
            notes.Add("hold: the forecast assumes the job is released at once");
        }
        if (request.Dependency is not null)
        {
            notes.Add($"dependency '{request.Dependency}': the forecast assumes it is met at once");
        }
        if (request.Array is not null)
        {
            notes.Add("array: the forecast is for its first task");
        }
        var forecast = await forecasts.ForSpecAsync(spec, horizon);
        return TypedResults.Ok(View(null, forecast, null) with { Notes = notes });
    }

    private static ForecastView View(long? job, StartForecast f, string? waitReason)
    {
        var who = job is { } j ? $"job {j}" : "the job";
        var text = f.StartUnix is { } start
            ? $"{who} would start at {Time(start)} ({(start == f.NowUnix ? "now" : "in " + WhatIf.Duration(start - f.NowUnix))}) on {f.Site}/{f.Pool} ({f.Accelerator}): {f.Why}"
            : $"{who}: {f.Why}";
        return new ForecastView(job, JobStates.Pending, f.NowUnix, f.HorizonUnix, f.StartUnix, f.StartsInSeconds, f.Site, f.Pool, f.Accelerator, f.Why, waitReason, text);
    }

    /// <summary>The horizon in seconds from a query parameter (default 7 days, at most 30).</summary>
    internal static long Horizon(string? text, FieldErrors errors, long defaultSeconds = StartForecaster.DefaultHorizonSeconds)
    {
        if (text is null)
        {
            return defaultSeconds;
        }
        if (!long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds) || seconds < 60 || seconds > StartForecaster.MaxHorizonSeconds)
        {
            errors.Add("horizonSeconds", $"'{ApiIds.Trim(text)}' is not allowed; give whole seconds from 60 to {StartForecaster.MaxHorizonSeconds} (30 days)");
            return defaultSeconds;
        }
        return seconds;
    }

    internal static string Time(long unix) => StartForecaster.Time(unix);
}
