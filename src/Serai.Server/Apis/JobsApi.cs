using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Serai.Core.Model;
using Serai.Server.Auth;
using Serai.Server.Control;
using Serai.Server.Jobs;
using Serai.Server.Persistence;

namespace Serai.Server.Apis;

/// <summary>`/api/v1/jobs`: submit, list, get, cancel and logs. A tenant sees only its own jobs; others are 404.</summary>
public static class JobsApi
{
    public const int MaxBodyBytes = 1 << 20;

    public static RouteGroupBuilder MapJobsApi(this RouteGroupBuilder api)
    {
        var jobs = api.MapGroup("/jobs").WithTags("Jobs");
        jobs.MapPost("/", SubmitAsync).Accepts<SubmitJobBody>("application/json")
            .ProducesValidationProblem().ProducesProblem(409).WithSummary("Submit a job (Idempotency-Key header for safe retries)");
        jobs.MapGet("/", ListAsync).WithSummary("List jobs, newest first, with filters and a cursor");
        jobs.MapGet("/{id}", GetAsync).WithSummary("One job, with why it waits when pending");
        jobs.MapPost("/{id}/cancel", CancelAsync).WithSummary("Cancel a pending or running job (kills its processes)");
        jobs.MapGet("/{id}/logs", JobLogs.GetAsync).WithSummary("stdout or stderr of a job, from a byte offset");
        return api;
    }

    private static async Task<Results<Created<JobView>, Ok<JobView>, ValidationProblem, ProblemHttpResult>> SubmitAsync(
        HttpContext context, HubHolder hubs, SubmissionService submissions, TimeProvider time)
    {
        var caller = Caller.From(context.User);
        var key = context.Request.Headers["Idempotency-Key"].ToString();
        if (key.Length > 128 || key.Any(ch => ch < 0x21 || ch > 0x7e))
        {
            return FieldErrors.One("Idempotency-Key", $"'{ApiIds.Trim(key)}' is not allowed; give 1 to 128 visible ASCII characters", "invalid job submission");
        }
        if (context.Request.ContentLength > MaxBodyBytes)
        {
            return FieldErrors.One("body", $"{context.Request.ContentLength} bytes is too large; at most {MaxBodyBytes}", "invalid job submission");
        }
        if (context.Request.ContentType is { } type && !type.StartsWith("application/json", StringComparison.OrdinalIgnoreCase))
        {
            return FieldErrors.One("Content-Type", $"'{type}' is not accepted; send application/json", "invalid job submission");
        }
        JsonElement body;
        try
        {
            (body, var invalid) = await JsonBody.ReadAsync(context, "invalid job submission");
            if (invalid is not null)
            {
                return invalid;
            }
        }
        catch (BadHttpRequestException e)
        {
            return TypedResults.Problem(statusCode: e.StatusCode, title: "invalid job submission", detail: $"body: {e.Message}; at most {MaxBodyBytes} bytes");
        }
        var errors = new FieldErrors();
        var request = SubmitJobParser.Parse(body, caller, hubs.Hub, hubs.AiSystems, time.GetUtcNow().ToUnixTimeSeconds(), errors);
        if (request is null)
        {
            return errors.ToProblem("invalid job submission");
        }
        var (row, outcome) = await submissions.SubmitAsync(request, key.Length == 0 ? null : key);
        return outcome switch
        {
            SubmitOutcome.Created => TypedResults.Created($"/api/v1/jobs/{row.Id}", JobView.From(row)),
            SubmitOutcome.Existing => TypedResults.Ok(JobView.From(row)),
            _ => TypedResults.Problem(statusCode: 409, title: "idempotency key reused",
                detail: $"Idempotency-Key '{key}' was already used for job {row.Id} with a different request; use a new key for a new job"),
        };
    }

    private static async Task<Results<Ok<JobPage>, ValidationProblem>> ListAsync(
        HttpContext context, JobStore store, ControlLoop loop, HubHolder hubs,
        string? state, string? tenant, string? priority, string? name, string? limit, string? before)
    {
        var caller = Caller.From(context.User);
        var errors = new FieldErrors();
        if (state is not null && !JobStates.All.Contains(state))
        {
            errors.Add("state", $"'{ApiIds.Trim(state)}' is not a job state; allowed: {JobStates.Allowed}");
        }
        if (priority is not null && !PriorityClasses.TryParse(priority, out _))
        {
            errors.Add("priority", $"'{ApiIds.Trim(priority)}' is not a priority class; allowed: {PriorityClasses.Allowed}");
        }
        if (tenant is not null && hubs.Hub.TenantIndex(tenant) is null)
        {
            errors.Add("tenant", $"'{ApiIds.Trim(tenant)}' is not a tenant of this hub");
        }
        var size = ApiIds.Limit(limit, 100, 1000, errors);
        var cursor = ApiIds.Cursor(before, "before", errors);
        if (errors.Any)
        {
            return errors.ToProblem("invalid job query");
        }
        // a tenant's list is always its own, whatever tenant filter it sends
        var owner = caller.IsAdmin ? tenant : caller.Tenant;
        if (owner is not null && hubs.Hub.TenantIndex(owner) is { } index)
        {
            owner = hubs.Hub.Tenants[index].Name;
        }
        var rows = await store.ListAsync(new JobFilter(owner, state, priority?.ToLowerInvariant(), name, cursor, size!.Value), context.RequestAborted);
        var next = rows.Count == size ? rows[^1].Id.ToString(System.Globalization.CultureInfo.InvariantCulture) : null;
        return TypedResults.Ok(new JobPage(rows.Select(r => JobView.From(r, loop)).ToList(), next));
    }

    private static async Task<Results<Ok<JobView>, NotFound<ProblemDetails>, ValidationProblem>> GetAsync(
        HttpContext context, string id, JobStore store, ControlLoop loop)
    {
        var found = await FindAsync(context, id, store);
        if (found.Invalid is { } invalid)
        {
            return invalid;
        }
        return found.Missing is { } missing ? missing : TypedResults.Ok(JobView.From(found.Row!, loop));
    }

    private static async Task<Results<Ok<JobView>, NotFound<ProblemDetails>, ValidationProblem, Conflict<ProblemDetails>, ProblemHttpResult>> CancelAsync(
        HttpContext context, string id, JobStore store, ControlLoop loop)
    {
        var found = await FindAsync(context, id, store);
        if (found.Invalid is { } invalid)
        {
            return invalid;
        }
        if (found.Missing is { } missing)
        {
            return missing;
        }
        var row = found.Row!;
        var outcome = CancelOutcome.AlreadyFinished;
        if (!JobStates.IsTerminal(row.State))
        {
            var answer = new TaskCompletionSource<CancelOutcome>(TaskCreationOptions.RunContinuationsAsynchronously);
            loop.Post(new CancelRequested(row.Id, Caller.From(context.User).Name, answer));
            outcome = await answer.Task.WaitAsync(TimeSpan.FromSeconds(60), context.RequestAborted);
            row = await WaitWhileStoppingAsync(store, row, context.RequestAborted);
        }
        if (outcome == CancelOutcome.Unavailable)
        {
            return TypedResults.Problem(statusCode: 503, title: "cancel not recorded", detail: $"job {row.Id}: the database could not record the cancel; try again");
        }
        if (outcome != CancelOutcome.Cancelled)
        {
            return TypedResults.Conflict(new ProblemDetails
            {
                Status = 409,
                Title = "job already finished",
                Detail = $"job {row.Id} is {row.State}; only pending, admitted or running jobs can be cancelled",
            });
        }
        return TypedResults.Ok(JobView.From(row, loop));
    }

    /// <summary>
    /// A running job's cancel is confirmed by its backend once its processes are gone (the loop never waits for it):
    /// the answer waits for that a while, and otherwise shows the job stopping.
    /// </summary>
    private static async Task<JobRow> WaitWhileStoppingAsync(JobStore store, JobRow row, CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + CancelWait;
        while (true)
        {
            row = await store.GetAsync(row.Id, cancellationToken) ?? row;
            if (row.State != JobStates.Stopping || DateTime.UtcNow >= deadline)
            {
                return row;
            }
            await Task.Delay(50, cancellationToken);
        }
    }

    private static readonly TimeSpan CancelWait = TimeSpan.FromSeconds(20);

    /// <summary>The job if it exists and the caller may see it; otherwise the 400 or 404 to answer.</summary>
    internal static async Task<(JobRow? Row, ValidationProblem? Invalid, NotFound<ProblemDetails>? Missing)> FindAsync(HttpContext context, string id, JobStore store)
    {
        if (!ApiIds.TryJobId(id, out var jobId))
        {
            return (null, FieldErrors.One("id", ApiIds.JobIdError(id)), null);
        }
        var row = await store.GetAsync(jobId, context.RequestAborted);
        if (row is null || !Caller.From(context.User).MaySee(row.Tenant))
        {
            return (null, null, TypedResults.NotFound(new ProblemDetails { Status = 404, Title = "job not found", Detail = $"no job {jobId} visible to this token" }));
        }
        return (row, null, null);
    }
}
