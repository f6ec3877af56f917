namespace Serai.Scheduling.Plugins;

/// <summary>
/// Scratch memory of plugins for one cycle (Kubernetes' CycleState). Plugins are stateless and may be shared between
/// schedulers; what one remembers within a cycle lives here, keyed by the plugin, and is dropped with the cycle.
/// </summary>
public sealed class CycleState
{
    private Dictionary<object, object>? _cycle;
    private Dictionary<object, object>? _untilRelease;
    private readonly LastingState? _lasting;

    public CycleState()
    {
    }

    internal CycleState(LastingState? lasting) => _lasting = lasting;

    /// <summary>
    /// The owner's scratch that outlives the cycle, kept by the scheduler from cycle to cycle; null when the cycle runs
    /// without one (a check cycle, which must compute everything afresh). What is kept there must carry its own proof
    /// that it still holds (versions of what it read), since the state changes between cycles.
    /// </summary>
    public T? Lasting<T>(object owner)
        where T : class, new() => _lasting?.Get<T>(owner);

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

/// <summary>Plugins' scratch kept by one scheduler across its cycles (see <see cref="CycleState.Lasting{T}"/>).</summary>
internal sealed class LastingState
{
    private readonly Dictionary<object, object> _store = new(ReferenceEqualityComparer.Instance);

    internal T Get<T>(object owner)
        where T : class, new()
    {
        if (!_store.TryGetValue(owner, out var value))
        {
            value = new T();
            _store[owner] = value;
        }
        return (T)value;
    }
}
