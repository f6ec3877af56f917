using Serai.Core.Jobs;
using Serai.Runtime.Lifecycle;

namespace Serai.Runtime.Book;

/// <summary>
/// Every job the runtime knows, in flat arrays indexed by a slot given in submission order (about 120 bytes a
/// job): its spec and phase, attempts, where and when it ran, the running stretch being accounted and the energy,
/// carbon and cost booked so far. Ids equal to their slot (the simulator) need no lookup table.
/// </summary>
public sealed class JobBook
{
    private Dictionary<long, int>? _slotById;

    public JobBook(int capacity = 16)
    {
        capacity = Math.Max(16, capacity);
        Spec = new JobSpec[capacity];
        Phase = new JobPhase[capacity];
        Pool = new short[capacity];
        Placement = new Placement?[capacity];
        Attempt = new ushort[capacity];
        Preemptions = new ushort[capacity];
        FirstStartUnix = new long[capacity];
        LastStartUnix = new long[capacity];
        EndUnix = new long[capacity];
        NotBeforeUnix = new long[capacity];
        GpuWatts = new float[capacity];
        ItWatts = new float[capacity];
        StretchStartUnix = new long[capacity];
        PueMark = new double[capacity];
        CarbonMark = new double[capacity];
        PriceMark = new double[capacity];
        ItJoules = new double[capacity];
        FacilityJoules = new double[capacity];
        CarbonGrams = new double[capacity];
        CostUsd = new double[capacity];
        GpuSeconds = new double[capacity];
        Queued = new bool[capacity];
        Fill(0);
    }

    public int Count { get; private set; }

    public JobSpec[] Spec { get; private set; }
    public JobPhase[] Phase { get; private set; }

    /// <summary>Pool of the current or last placement, or -1.</summary>
    public short[] Pool { get; private set; }

    /// <summary>The current or last placement (pool, nodes, GPU masks), or null.</summary>
    public Placement?[] Placement { get; private set; }

    /// <summary>Attempts dispatched so far (a requeued job runs again as the next attempt).</summary>
    public ushort[] Attempt { get; private set; }
    public ushort[] Preemptions { get; private set; }
    public long[] FirstStartUnix { get; private set; }
    public long[] LastStartUnix { get; private set; }
    public long[] EndUnix { get; private set; }

    /// <summary>Deferred until this time (parked outside the queue), or 0.</summary>
    public long[] NotBeforeUnix { get; private set; }

    /// <summary>Power of the job's own GPUs now (GPUs × TDP × allowed fraction).</summary>
    public float[] GpuWatts { get; private set; }

    /// <summary>IT power booked to the job now: its GPUs plus its share of the node overhead.</summary>
    public float[] ItWatts { get; private set; }
    public long[] StretchStartUnix { get; private set; }
    internal double[] PueMark { get; private set; }
    internal double[] CarbonMark { get; private set; }
    internal double[] PriceMark { get; private set; }
    public double[] ItJoules { get; private set; }
    public double[] FacilityJoules { get; private set; }
    public double[] CarbonGrams { get; private set; }
    public double[] CostUsd { get; private set; }
    public double[] GpuSeconds { get; private set; }

    /// <summary>The job has an entry in the runtime's queue (at most one).</summary>
    internal bool[] Queued { get; private set; }

    /// <summary>Adds a job in phase <see cref="JobPhase.None"/> (the runtime moves it on) and returns its slot.</summary>
    public int Add(JobSpec spec)
    {
        if (Count == Spec.Length)
        {
            Grow();
        }
        var slot = Count++;
        if (_slotById is null && spec.Id.Value != slot)
        {
            _slotById = new Dictionary<long, int>(Spec.Length);
            for (var i = 0; i < slot; i++)
            {
                _slotById[Spec[i].Id.Value] = i;
            }
        }
        if (_slotById is not null && !_slotById.TryAdd(spec.Id.Value, slot))
        {
            Count--;
            throw new InvalidOperationException($"job {spec.Id} is already in the book");
        }
        Spec[slot] = spec;
        return slot;
    }

    public bool TryGetSlot(JobId id, out int slot)
    {
        if (_slotById is null)
        {
            slot = (int)id.Value;
            return id.Value >= 0 && id.Value < Count;
        }
        return _slotById.TryGetValue(id.Value, out slot);
    }

    public int SlotOf(JobId id) => TryGetSlot(id, out var slot) ? slot : throw new KeyNotFoundException($"job {id} is not in the book");

    private void Grow()
    {
        var n = Spec.Length * 2;
        Spec = Resize(Spec, n);
        Phase = Resize(Phase, n);
        Pool = Resize(Pool, n);
        Placement = Resize(Placement, n);
        Attempt = Resize(Attempt, n);
        Preemptions = Resize(Preemptions, n);
        FirstStartUnix = Resize(FirstStartUnix, n);
        LastStartUnix = Resize(LastStartUnix, n);
        EndUnix = Resize(EndUnix, n);
        NotBeforeUnix = Resize(NotBeforeUnix, n);
        GpuWatts = Resize(GpuWatts, n);
        ItWatts = Resize(ItWatts, n);
        StretchStartUnix = Resize(StretchStartUnix, n);
        PueMark = Resize(PueMark, n);
        CarbonMark = Resize(CarbonMark, n);
        PriceMark = Resize(PriceMark, n);
        ItJoules = Resize(ItJoules, n);
        FacilityJoules = Resize(FacilityJoules, n);
        CarbonGrams = Resize(CarbonGrams, n);
        CostUsd = Resize(CostUsd, n);
        GpuSeconds = Resize(GpuSeconds, n);
        Queued = Resize(Queued, n);
        Fill(Count);
    }

    private void Fill(int from)
    {
        Array.Fill(Pool, (short)-1, from, Pool.Length - from);
        Array.Fill(FirstStartUnix, -1, from, FirstStartUnix.Length - from);
        Array.Fill(LastStartUnix, -1, from, LastStartUnix.Length - from);
        Array.Fill(EndUnix, -1, from, EndUnix.Length - from);
    }

    private static T[] Resize<T>(T[] array, int length)
    {
        var copy = array;
        Array.Resize(ref copy, length);
        return copy;
    }
}
