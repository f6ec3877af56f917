namespace Serai.Scheduling.Plugins;

/// <summary>
/// Scratch memory of plugins for one cycle (Kubernetes' CycleState). Plugins are stateless and may be shared between
/// schedulers; what one remembers within a cycle lives here, keyed by the plugin, and is dropped with the cycle.
/// </summary>
public sealed class CycleState
{
    private Dictionary<object, object>? _cycle;
    private Dictionary<object, object>? _untilRelease;

    /// <summary>The owner's scratch of type <typeparamref name="T"/> for the whole cycle, created on first use.</summary>
    public T Get<T>(object owner)
        where T : class, new() => Get<T>(ref _cycle, owner);

    /// <summary>
    /// The owner's scratch that holds only while capacity shrinks: the cycle drops it whenever it releases running work
    /// (a preemption, an envelope shed), so that "did not fit" memos are forgotten when room appears.
    /// </summary>
    public T UntilRelease<T>(object owner)
        where T : class, new() => Get<T>(ref _untilRelease, owner);

    internal void Released() => _untilRelease?.Clear();

    private static T Get<T>(ref Dictionary<object, object>? store, object owner)
        where T : class, new()
    {
        store ??= new Dictionary<object, object>(ReferenceEqualityComparer.Instance);
        if (!store.TryGetValue(owner, out var value))
        {
            value = new T();
            store[owner] = value;
        }
        return (T)value;
    }
}
