using System.Collections.Concurrent;
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

/// <summary>
/// Commits validated submissions: they queue here, and one writer item inserts everything queued so far in
/// multi-row statements (one round trip per 200 jobs, one transaction per batch); each caller is answered after
/// the commit, then the control loop hears of its job.
/// </summary>
public sealed class SubmissionService(GroupCommitWriter writer, JobStore jobs, ControlLoop loop, TimeProvider time)
{
    private readonly ConcurrentQueue<Queued> _queue = new();
    private long _submitted;
    private int _flushScheduled;

    public long Submitted => Interlocked.Read(ref _submitted);

    public Task<(JobRow Job, SubmitOutcome Outcome)> SubmitAsync(JobRequest request, string? idempotencyKey)
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
        var queued = new Queued(row, request, new TaskCompletionSource<(JobRow, SubmitOutcome)>(TaskCreationOptions.RunContinuationsAsynchronously));
        _queue.Enqueue(queued);
        if (Interlocked.CompareExchange(ref _flushScheduled, 1, 0) == 0)
        {
            _ = FlushAsync();
        }
        return queued.Answer.Task;
    }

    private async Task FlushAsync()
    {
        var taken = new List<Queued>();
        try
        {
            var results = await writer.WriteAsync((c, t) =>
            {
                // cleared before draining: whatever is queued after this point schedules the next flush
                Volatile.Write(ref _flushScheduled, 0);
                while (_queue.TryDequeue(out var next))
                {
                    taken.Add(next);
                }
                return jobs.InsertOrFind(c, t, taken.Select(q => q.Row).ToList());
            }).ConfigureAwait(false);
            for (var i = 0; i < taken.Count; i++)
            {
                var (job, created) = results[i];
                if (created)
                {
                    Interlocked.Increment(ref _submitted);
                    loop.Post(new JobSubmitted(job, taken[i].Request));
                }
                var outcome = created ? SubmitOutcome.Created : job.RequestHash == taken[i].Row.RequestHash ? SubmitOutcome.Existing : SubmitOutcome.KeyConflict;
                taken[i].Answer.TrySetResult((job, outcome));
            }
        }
        catch (Exception e)
        {
            taken.ForEach(q => q.Answer.TrySetException(e));
        }
    }

    private sealed record Queued(JobRow Row, JobRequest Request, TaskCompletionSource<(JobRow, SubmitOutcome)> Answer);
}
