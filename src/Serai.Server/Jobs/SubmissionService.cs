using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Serai.Server.Control;
using Serai.Server.Persistence;

namespace Serai.Server.Jobs;

/// <summary>How a submission ended: a new job, the same job again (idempotent retry), or a key reused for another job.</summary>
public enum SubmitOutcome
{
    Created,
    Existing,
    KeyConflict,
}

/// <summary>Commits a validated submission through the group-commit writer, then hands it to the control loop.</summary>
public sealed class SubmissionService(GroupCommitWriter writer, JobStore jobs, ControlLoop loop, TimeProvider time)
{
    private long _submitted;

    public long Submitted => Interlocked.Read(ref _submitted);

    public async Task<(JobRow Job, SubmitOutcome Outcome)> SubmitAsync(JobRequest request, string? idempotencyKey)
    {
        var spec = JsonSerializer.Serialize(request);
        var now = time.GetUtcNow().ToUnixTimeSeconds();
        var row = new JobRow
        {
            Tenant = request.Tenant,
            Name = request.Name,
            State = JobStates.Pending,
            Priority = request.Priority,
            Gpus = request.Gpus,
            IdempotencyKey = idempotencyKey,
            RequestHash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(spec))),
            Spec = spec,
            SubmitUnix = now,
            UpdatedUnix = now,
        };
        var (job, created) = await writer.WriteAsync((c, t) => jobs.InsertOrFind(c, t, row)).ConfigureAwait(false);
        if (created)
        {
            Interlocked.Increment(ref _submitted);
            loop.Post(new JobSubmitted(job, request));
            return (job, SubmitOutcome.Created);
        }
        return (job, job.RequestHash == row.RequestHash ? SubmitOutcome.Existing : SubmitOutcome.KeyConflict);
    }
}
