using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Serai.Contracts;
using Serai.Core.Model;
using Serai.Server.Control;
using Serai.Server.Jobs;
using Serai.Server.Persistence;

namespace Serai.Server.Apis;

/// <summary>Changes of a pending job, as scontrol's hold, release and update: stored, then seen by the next cycle.</summary>
public static class JobChangesApi
{
    /// <summary>Body of an update: any of the fields; the others stay.</summary>
    public sealed record UpdateJobBody(string? Priority = null, string? Time = null, string? Name = null);

    public static void Map(RouteGroupBuilder jobs)
    {
        jobs.MapPost("/{id}/hold", (HttpContext context, string id, JobStore store, ControlLoop loop) =>
                ChangeAsync(context, id, store, loop, r => r with { Hold = true }))
            .WithSummary("Hold a pending job: it is not scheduled until released").WithName("HoldJob").ProducesProblem(StatusCodes.Status401Unauthorized);
        jobs.MapPost("/{id}/release", (HttpContext context, string id, JobStore store, ControlLoop loop) =>
                ChangeAsync(context, id, store, loop, r => r with { Hold = false }))
            .WithSummary("Release a held job").WithName("ReleaseJob").ProducesProblem(StatusCodes.Status401Unauthorized);
        jobs.MapPost("/{id}/requeue", RequeueAsync)
            .WithSummary("Send a running job back to the queue: its processes are stopped and it runs again as its next attempt")
            .WithName("RequeueJob").ProducesProblem(StatusCodes.Status401Unauthorized);
        jobs.MapPatch("/{id}", UpdateAsync).Accepts<UpdateJobBody>("application/json").ProducesValidationProblem()
            .WithSummary("Change a pending job's priority class, time limit or name").WithName("UpdateJob").ProducesProblem(StatusCodes.Status401Unauthorized);
    }

    private static async Task<Results<Ok<JobView>, NotFound<ProblemDetails>, ValidationProblem, Conflict<ProblemDetails>, ProblemHttpResult>> UpdateAsync(
        HttpContext context, string id, JobStore store, ControlLoop loop, HubHolder hubs)
    {
        var (body, invalid) = await JsonBody.ReadAsync(context, "invalid job update");
        if (invalid is not null)
        {
            return invalid;
        }
        if (body.ValueKind != JsonValueKind.Object)
        {
            return FieldErrors.One("body", $"expected a JSON object, got {body.ValueKind}", "invalid job update");
        }
        var errors = new FieldErrors();
        var f = new JsonFields(body, errors);
        f.RejectUnknown(["priority", "time", "name"]);
        var name = f.Text("name", 128);
        var priorityText = f.Text("priority", 32);
        var timeText = f.Text("time", 64);
        long? seconds = null;
        if (timeText is not null && (seconds = TimeLimit.Parse(timeText)) is null)
        {
            errors.Add("time", $"'{ApiIds.Trim(timeText)}' is not a time limit; allowed formats: {TimeLimit.Formats}, up to 365 days");
        }
        PriorityClass priority = default;
        if (priorityText is not null && !PriorityClasses.TryParse(priorityText, out priority))
        {
            errors.Add("priority", $"'{ApiIds.Trim(priorityText)}' is not a priority class; allowed: {PriorityClasses.Allowed}");
        }
        if (!errors.Any && name is null && priorityText is null && timeText is null)
        {
            errors.Add("body", "nothing to change; give priority, time or name");
        }
        if (errors.Any)
        {
            return errors.ToProblem("invalid job update");
        }
        var found = await JobsApi.FindAsync(context, id, store);
        if (found.Row is { } row && priorityText is not null && hubs.Hub.TenantIndex(row.Tenant) is { } t && !hubs.Hub.Tenants[t].MayUse(priority))
        {
            var allowed = PriorityClasses.All.Where(hubs.Hub.Tenants[t].MayUse).Select(p => p.Name());
            return FieldErrors.One("priority", $"tenant '{row.Tenant}' may not use class '{priority.Name()}'; allowed for it: {string.Join(", ", allowed)}", "invalid job update");
        }
        return await ChangeAsync(context, id, store, loop, r => r with
        {
            Name = name ?? r.Name,
            Priority = priorityText is null ? r.Priority : priority.Name(),
            TimeLimitSeconds = seconds ?? r.TimeLimitSeconds,
        });
    }

    private static async Task<Results<Ok<JobView>, NotFound<ProblemDetails>, ValidationProblem, Conflict<ProblemDetails>>> RequeueAsync(
        HttpContext context, string id, JobStore store, ControlLoop loop)
    {
        var found = await JobsApi.FindAsync(context, id, store);
        if (found.Invalid is { } invalid)
        {
            return invalid;
        }
        if (found.Missing is { } missing)
        {
            return missing;
        }
        var row = found.Row!;
        var requeued = false;
        if (row.State is JobStates.Admitted or JobStates.Starting or JobStates.Running)
        {
            var answer = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
            loop.Post(new RequeueRequested(row.Id, Auth.Caller.From(context.User).Name, answer));
            requeued = await answer.Task.WaitAsync(TimeSpan.FromSeconds(60), context.RequestAborted);
        }
        return requeued
            ? TypedResults.Ok(JobView.From((await store.GetAsync(row.Id, context.RequestAborted))!, loop))
            : TypedResults.Conflict(new ProblemDetails
            {
                Status = 409,
                Title = "job not running",
                Detail = $"job {row.Id} is {row.State}; only admitted, starting or running jobs can be requeued",
            });
    }

    private static async Task<Results<Ok<JobView>, NotFound<ProblemDetails>, ValidationProblem, Conflict<ProblemDetails>, ProblemHttpResult>> ChangeAsync(
        HttpContext context, string id, JobStore store, ControlLoop loop, Func<JobRequest, JobRequest> change)
    {
        var found = await JobsApi.FindAsync(context, id, store);
        if (found.Invalid is { } invalid)
        {
            return invalid;
        }
        if (found.Missing is { } missing)
        {
            return missing;
        }
        var row = found.Row!;
        var outcome = ChangeOutcome.NotPending;
        if (row.State == JobStates.Pending)
        {
            var answer = new TaskCompletionSource<ChangeOutcome>(TaskCreationOptions.RunContinuationsAsynchronously);
            loop.Post(new JobChangeRequested(row.Id, change, answer));
            outcome = await answer.Task.WaitAsync(TimeSpan.FromSeconds(60), context.RequestAborted);
        }
        return outcome switch
        {
            ChangeOutcome.Changed => TypedResults.Ok(JobView.From((await store.GetAsync(row.Id, context.RequestAborted))!, loop)),
            ChangeOutcome.Unavailable => TypedResults.Problem(statusCode: 503, title: "change not recorded", detail: $"job {row.Id}: the database could not record the change; try again"),
            _ => TypedResults.Conflict(new ProblemDetails
            {
                Status = 409,
                Title = "job not pending",
                Detail = $"job {row.Id} is {(row.State == JobStates.Pending ? "no longer pending" : row.State)}; only pending jobs can be held, released or changed",
            }),
        };
    }
}
