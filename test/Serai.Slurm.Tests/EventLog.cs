using System.Collections.Concurrent;
using Serai.Execution;

namespace Serai.Slurm.Tests;

/// <summary>Collects what a backend raises (from any thread) so that a test can wait for an event and look at all of them.</summary>
internal sealed class EventLog
{
    private readonly ConcurrentQueue<BackendEvent> _events = new();

    public EventLog(IExecutionBackend backend) => backend.EventRaised += _events.Enqueue;

    public IReadOnlyList<BackendEvent> All => [.. _events];

    public IEnumerable<T> Of<T>() where T : BackendEvent => _events.OfType<T>();

    /// <summary>The first event of the kind that matches, waiting for it up to <paramref name="seconds"/>.</summary>
    public async Task<T> WaitForAsync<T>(Func<T, bool> match, double seconds = 20) where T : BackendEvent
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (true)
        {
            if (_events.OfType<T>().FirstOrDefault(match) is { } found)
            {
                return found;
            }
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"no matching {typeof(T).Name} within {seconds} s; events: {string.Join("; ", _events)}");
            }
            await Task.Delay(50);
        }
    }
}
