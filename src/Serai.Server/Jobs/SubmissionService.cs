using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Serai.Contracts;
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

    public async Task<(JobRow Job, SubmitOutcome Outcome)> SubmitAsync(JobRequest request, string? idempotencyKey) =>
        (await SubmitManyAsync([request], idempotencyKey).ConfigureAwait(false))[0];

    /// <summary>
    /// Submits jobs committed together: one job, or the tasks of an array (more than one request), whose array id is
    /// the first task's job id. An idempotency key covers them all (each task stores KEY#INDEX).
    /// </summary>
    public Task<IReadOnlyList<(JobRow Job, SubmitOutcome Outcome)>> SubmitManyAsync(IReadOnlyList<JobRequest> requests, string? idempotencyKey)
    {
        var now = time.GetUtcNow().ToUnixTimeSeconds();
        var rows = requests.Select((request, i) =>
        {
            var spec = JsonSerializer.Serialize(request);
            return new JobRow
            {
                Tenant = request.Tenant,
                Name = request.Name,
                State = JobStates.Pending,
                Priority = request.Priority,
                Gpus = request.Gpus,
                IdempotencyKey = idempotencyKey is null || requests.Count == 1 ? idempotencyKey : $"{idempotencyKey}#{i}",
                RequestHash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(spec))),
                Spec = spec,
                SubmitUnix = now,
                UpdatedUnix = now,
            };
        }).ToList();
        var queued = new Queued(rows, requests.ToList(), new TaskCompletionSource<IReadOnlyList<(JobRow, SubmitOutcome)>>(TaskCreationOptions.RunContinuationsAsynchronously));
        _queue.Enqueue(queued);
        if (Interlocked.CompareExchange(ref _flushScheduled, 1, 0) == 0)
        {
            _ = FlushAsync();
        }
        return queued.Answer.Task;
    }

    /// <summary>An array's tasks learn the array's id (the first task's) once the database has given out their ids.</summary>
    private static void NameArrays(IReadOnlyList<Queued> taken)
    {
        foreach (var q in taken.Where(q => q.Rows.Count > 1 || q.Requests[0].Array is not null))
        {
            if (q.Rows[0].Id == 0)
            {
                continue; // an idempotent retry: the stored tasks keep theirs
            }
            var arrayId = q.Rows[0].Id;
            for (var i = 0; i < q.Rows.Count; i++)
            {
                q.Requests[i] = q.Requests[i] with { ArrayJobId = arrayId };
                q.Rows[i].ArrayJobId = arrayId;
                q.Rows[i].Spec = JsonSerializer.Serialize(q.Requests[i]);
            }
        }
    }

    private async Task FlushAsync()
    {
        var taken = new List<Queued>();
        var started = false;
        try
        {
            var results = await writer.WriteAsync((c, t) =>
            {
                started = true;
                // cleared before draining: whatever is queued after this point schedules the next flush
                Volatile.Write(ref _flushScheduled, 0);
                while (_queue.TryDequeue(out var next))
                {
                    taken.Add(next);
                }
                return jobs.InsertOrFind(c, t, taken.SelectMany(q => q.Rows).ToList(), _ => NameArrays(taken));
            }).ConfigureAwait(false);
            var k = 0;
            foreach (var q in taken)
            {
                var answers = new List<(JobRow, SubmitOutcome)>(q.Rows.Count);
                for (var i = 0; i < q.Rows.Count; i++, k++)
                {
                    var (job, created) = results[k];
                    if (created)
                    {
                        Interlocked.Increment(ref _submitted);
                        loop.Post(new JobSubmitted(job, q.Requests[i]));
                    }
                    answers.Add((job, created ? SubmitOutcome.Created : job.RequestHash == q.Rows[i].RequestHash ? SubmitOutcome.Existing : SubmitOutcome.KeyConflict));
                }
                q.Answer.TrySetResult(answers);
            }
        }
        catch (Exception e)
        {
            if (!Volatile.Read(ref started))
            {
                // refused before it began (the database refuses writes): what is queued waits for this flush, so it
                // gets the same answer, and the next submission schedules a flush of its own
                Volatile.Write(ref _flushScheduled, 0);
                while (_queue.TryDequeue(out var next))
                {
                    taken.Add(next);
                }
            }
            taken.ForEach(q => q.Answer.TrySetException(e));
        }
    }

    private sealed record Queued(List<JobRow> Rows, List<JobRequest> Requests, TaskCompletionSource<IReadOnlyList<(JobRow, SubmitOutcome)>> Answer);
}
