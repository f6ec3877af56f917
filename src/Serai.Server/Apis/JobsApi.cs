using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Serai.Contracts;
using Serai.Core.Model;
using Serai.Server.Auth;
using Serai.Server.Control;
using Serai.Server.Jobs;
using Serai.Server.Notifications;
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
            .ProducesValidationProblem().ProducesProblem(409).WithSummary("Submit a job (Idempotency-Key header for safe retries)")
            .WithName("SubmitJob").ProducesProblem(StatusCodes.Status401Unauthorized);
        jobs.MapGet("/", ListAsync).WithSummary("List jobs, newest first, with filters and a cursor")
            .WithName("ListJobs").ProducesProblem(StatusCodes.Status401Unauthorized);
        jobs.MapGet("/{id}", GetAsync).WithSummary("One job, with why it waits when pending")
            .WithName("GetJob").ProducesProblem(StatusCodes.Status401Unauthorized);
        jobs.MapPost("/{id}/cancel", CancelAsync).WithSummary("Cancel a pending or running job (kills its processes)")
            .WithName("CancelJob").ProducesProblem(StatusCodes.Status401Unauthorized);
        jobs.MapGet("/{id}/logs", JobLogs.GetAsync).WithSummary("stdout or stderr of a job, from a byte offset")
            .WithName("GetJobLogs").ProducesProblem(StatusCodes.Status401Unauthorized);
        JobChangesApi.Map(jobs);
        return api;
    }

    private static async Task<Results<Created<JobView>, Ok<JobView>, ValidationProblem, ProblemHttpResult>> SubmitAsync(
        HttpContext context, HubHolder hubs, SubmissionService submissions, JobStore store, SeraiServerOptions options, TimeProvider time, NotifyPolicy notifyPolicy)
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
        var request = SubmitJobParser.Parse(body, caller, hubs.Hub, hubs.AiSystems, time.GetUtcNow().ToUnixTimeSeconds(), errors, notifyPolicy);
        if (request is null)
        {
            return errors.ToProblem("invalid job submission");
        }
        var notes = new List<string>();
        request = WhereItRuns(request, body, options, notes);
        if (RelativeOutputWithoutDirectory(request, options) is { } refused)
        {
            return refused;
        }
        if (request.DependencyIds is { Length: > 0 } dependsOn)
        {
            var (ids, invalid) = await DependenciesAsync(store, caller, dependsOn, context.RequestAborted);
            if (invalid is not null)
            {
                return invalid;
            }
            request = request with { DependencyIds = ids };
        }
        IReadOnlyList<JobRequest> tasks = request.Array is { } arrayText
            ? JobArray.Parse(arrayText).Array!.Indexes.Select(i => request with { ArrayTaskId = i }).ToList()
            : [request];
        var answers = await submissions.SubmitManyAsync(tasks, key.Length == 0 ? null : key);
        var (row, outcome) = answers[0];
        // a single job just created holds exactly the request parsed here; anything else is read back from what was stored
        var stored = outcome == SubmitOutcome.Created && tasks.Count == 1 && request.Array is null ? tasks[0] : null;
        var view = JobView.From(row, stored: stored) with { ArrayTasks = tasks.Count > 1 || request.Array is not null ? tasks.Count : null, Notes = notes.Count > 0 ? notes : null };
        if (answers.Any(a => a.Outcome == SubmitOutcome.KeyConflict))
        {
            outcome = SubmitOutcome.KeyConflict;
        }
        return outcome switch
        {
            SubmitOutcome.Created => TypedResults.Created($"/api/v1/jobs/{row.Id}", view),
            SubmitOutcome.Existing => TypedResults.Ok(view),
            _ => TypedResults.Problem(statusCode: 409, title: "idempotency key reused",
                detail: $"Idempotency-Key '{key}' was already used for job {row.Id} with a different request; use a new key for a new job"),
        };
    }

    private static async Task<Results<Ok<JobPage>, ValidationProblem, ProblemHttpResult>> ListAsync(
        HttpContext context, JobStore store, ControlLoop loop, HubHolder hubs,
        string? state, string? tenant, string? priority, string? name, string? limit, string? before, string? site, string? array)
    {
        var caller = Caller.From(context.User);
        if (!caller.IsAdmin && tenant is not null && !caller.MaySee(tenant))
        {
            return TypedResults.Problem(statusCode: 403, title: "Forbidden",
                detail: $"tenant '{ApiIds.Trim(tenant)}': a tenant token lists only its own jobs ('{caller.Tenant}'); leave tenant out");
        }
        var errors = new FieldErrors();
        long? arrayId = null;
        if (array is not null)
        {
            if (ApiIds.TryJobId(array, out var a))
            {
                arrayId = a;
            }
            else
            {
                errors.Add("array", $"'{ApiIds.Trim(array)}' is not an array id; array ids are the job id of their first task");
            }
        }
        if (site is not null && hubs.Hub.SiteIndex(site) is null)
        {
            errors.Add("site", $"'{ApiIds.Trim(site)}' is not a site of this hub; allowed: {string.Join(", ", hubs.Hub.Sites.Select(x => x.Name))}");
        }
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
        var siteName = site is null ? null : hubs.Hub.Sites[hubs.Hub.SiteIndex(site)!.Value].Name;
        var rows = await store.ListAsync(
            new JobFilter(owner, state, priority?.ToLowerInvariant(), name, cursor, size!.Value) { ArrayJobId = arrayId, Site = siteName }, context.RequestAborted);
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
    /// Where the job runs: the directory it names, else the directory it was submitted from when this server can see it
    /// (the local backend runs jobs on this machine), else its own job directory, said in a note.
    /// </summary>
    private static JobRequest WhereItRuns(JobRequest request, JsonElement body, SeraiServerOptions options, List<string> notes)
    {
        var local = string.Equals(options.Backend, "local", StringComparison.OrdinalIgnoreCase);
        if (request.WorkingDirectory is { } chosen)
        {
            if (local && !Directory.Exists(chosen))
            {
                notes.Add($"workingDirectory: '{chosen}' does not exist on the server's machine; the job will fail to start unless it is created first");
            }
            return request;
        }
        if (body.TryGetProperty("submitDirectory", out var s) && s.ValueKind == JsonValueKind.String && s.GetString() is { } submitted)
        {
            if (local && Directory.Exists(submitted) && OpenToOthers(submitted))
            {
                return request with { WorkingDirectory = submitted };
            }
            if (local && Directory.Exists(submitted))
            {
                notes.Add($"the job runs in its own job directory: '{submitted}' (where it was submitted from) is closed to other accounts, and jobs run as their tenant's account; give --chdir with a directory that account may use");
                return request;
            }
            notes.Add($"the job runs in its own job directory: the directory it was submitted from ('{submitted}') is not shared with the {options.Backend} backend; give --chdir to choose one");
        }
        return request;
    }

    /// <summary>
    /// A relative output pattern is under the job's working directory; a job that names none runs in its own job
    /// directory, which only the local backend has: elsewhere the pattern must be absolute.
    /// </summary>
    private static ValidationProblem? RelativeOutputWithoutDirectory(JobRequest request, SeraiServerOptions options)
    {
        if (request.WorkingDirectory is not null || string.Equals(options.Backend, "local", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }
        var (field, pattern) = request.Output is { } o && !o.StartsWith('/') ? ("output", o) : request.Error is { } e && !e.StartsWith('/') ? ("error", e) : (null, null);
        return field is null ? null : FieldErrors.One(field,
            $"'{ApiIds.Trim(pattern!)}' is relative and the job names no working directory on the {options.Backend} backend; give workingDirectory (--chdir) or an absolute path",
            "invalid job submission");
    }

    /// <summary>Whether other accounts may enter the directory and every directory above it (a tenant's job runs as its own account).</summary>
    private static bool OpenToOthers(string path)
    {
        if (OperatingSystem.IsWindows())
        {
            return true;
        }
        for (var dir = new DirectoryInfo(path); dir is not null; dir = dir.Parent)
        {
            if ((File.GetUnixFileMode(dir.FullName) & UnixFileMode.OtherExecute) == 0)
            {
                return false;
            }
        }
        return true;
    }

    /// <summary>The job ids a dependency names, each an existing job the caller may see; an array's id stands for all its tasks.</summary>
    private static async Task<(long[] Ids, ValidationProblem? Invalid)> DependenciesAsync(JobStore store, Caller caller, long[] ids, CancellationToken cancellationToken)
    {
        var found = await store.FindForDependencyAsync(ids, cancellationToken);
        foreach (var id in ids)
        {
            if (!found.Any(f => (f.Id == id || f.ArrayJobId == id) && caller.MaySee(f.Tenant)))
            {
                return ([], FieldErrors.One("dependency", $"job {id} does not exist or is not visible to this token", "invalid job submission"));
            }
        }
        return (found.Where(f => caller.MaySee(f.Tenant)).Select(f => f.Id).Distinct().Order().ToArray(), null);
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
