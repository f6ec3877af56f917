using System.Collections.Concurrent;
using System.Data.Common;
using System.Diagnostics;
using System.Threading.Channels;
using Serai.Core.Jobs;
using Serai.Core.State;
using Serai.Execution;
using Serai.Scheduling;
using Serai.Server.Jobs;
using Serai.Server.Persistence;

namespace Serai.Server.Control;

/// <summary>
/// The single-threaded heart of the server: owns the hub state and the queue, handles submit, cancel and
/// completion events in order, runs the scheduler after each batch of events and on a timer, persists the
/// decisions, then acts on the backend. The API talks to it only through <see cref="Post"/> and the snapshot.
/// </summary>
public sealed partial class ControlLoop(
    HubHolder hubs,
    ISchedulingPolicy scheduler,
    BackendRouter backend,
    GroupCommitWriter writer,
    JobStore jobs,
    AiSystemStore aiSystems,
    TimeProvider time,
    ControlLoopOptions options,
    ILogger<ControlLoop> logger) : BackgroundService
{
    private readonly Channel<ControlEvent> _events = Channel.CreateUnbounded<ControlEvent>(new UnboundedChannelOptions { SingleReader = true });
    private readonly SortedDictionary<long, PendingJob> _pending = [];
    private readonly Dictionary<long, JobRequest> _requests = [];
    private readonly ConcurrentDictionary<long, Decision> _waitReasons = new();
    private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private HubState _state = null!;
    private volatile HubSnapshot _snapshot = HubSnapshot.Empty;
    private LoopCounters _counters = HubSnapshot.Empty.Counters;
    private string? _lastSchedulerError;

    public HubSnapshot Snapshot => _snapshot;

    /// <summary>Completes once the state has been rebuilt from the database and reconciled with the backend.</summary>
    public Task Ready => _ready.Task;

    /// <summary>Why a pending job waits, as the last cycle said (put into words only when asked).</summary>
    public string? WaitReason(long jobId) => _waitReasons.TryGetValue(jobId, out var decision) ? decision.Describe(_state.Hub) : null;

    public void Post(ControlEvent controlEvent) => _events.Writer.TryWrite(controlEvent);

    private long Now => time.GetUtcNow().ToUnixTimeSeconds();

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        backend.EventRaised += OnBackendEvent;
        try
        {
            await InitializeAsync(stoppingToken).ConfigureAwait(false);
            _ready.TrySetResult();
        }
        catch (Exception e)
        {
            _ready.TrySetException(e);
            throw;
        }
        _ = TickAsync(stoppingToken);
        Post(new Tick());
        var stopwatch = new Stopwatch();
        while (await _events.Reader.WaitToReadAsync(stoppingToken).ConfigureAwait(false))
        {
            stopwatch.Restart();
            var changed = false;
            while (_events.Reader.TryRead(out var next))
            {
                try
                {
                    changed |= next is Tick || await HandleAsync(next, stoppingToken).ConfigureAwait(false);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    logger.LogError(e, "control loop: handling {Event} failed", next.GetType().Name);
                    (next as CancelRequested)?.Outcome.TrySetException(e);
                }
            }
            if (changed)
            {
                try
                {
                    await CycleAsync(stoppingToken).ConfigureAwait(false);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    // One failed cycle must not stop the hub: log it; the next event or tick runs a fresh cycle.
                    logger.LogError(e, "control loop: a scheduling cycle failed");
                }
            }
            Publish();
            // under load, cycles over a long queue are spaced so that the loop takes at most about a fifth of a core
            var rest = TimeSpan.FromTicks(Math.Max(options.MinCycleInterval.Ticks, Math.Min(8 * stopwatch.Elapsed.Ticks, options.MaxCycleInterval.Ticks))) - stopwatch.Elapsed;
            if (rest > TimeSpan.Zero)
            {
                await Task.Delay(rest, time, stoppingToken).ConfigureAwait(false);
            }
        }
    }

    private async Task TickAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.TickInterval, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
            {
                Post(new Tick());
            }
        }
        catch (OperationCanceledException)
        {
            // stopping
        }
    }

    private void Publish() => _snapshot = SnapshotBuilder.Build(_state, _pending.Values, Now, _counters);

    private Task WriteAllAsync(List<Action<DbConnection, DbTransaction>> writes) =>
        writes.Count == 0 ? Task.CompletedTask : writer.WriteAsync((c, t) =>
        {
            foreach (var write in writes)
            {
                write(c, t);
            }
        });
}
