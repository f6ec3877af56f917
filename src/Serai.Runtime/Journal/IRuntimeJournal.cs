using Serai.Runtime.Accounting;

namespace Serai.Runtime.Journal;

/// <summary>
/// Durable record of the runtime's changes. The runtime hands it each batch of moves and closed usage stretches
/// before applying them in memory; when <see cref="Write"/> throws, nothing of the batch is applied.
/// </summary>
public interface IRuntimeJournal
{
    /// <summary>Persists the batch, or throws <see cref="JournalException"/> (then nothing of it happened).</summary>
    void Write(JournalBatch batch);
}

/// <summary>What one step of the runtime changes, in order.</summary>
public sealed class JournalBatch
{
    public List<JobTransition> Transitions { get; } = [];
    public List<UsageStretch> Usage { get; } = [];

    /// <summary>Each tenant's decayed fair-share usage and when it was taken, so a restart resumes from it.</summary>
    public (double[] DecayedGpuSeconds, long AtUnix)? FairShare { get; set; }

    public bool IsEmpty => Transitions.Count == 0 && Usage.Count == 0 && FairShare is null;

    public void Clear()
    {
        Transitions.Clear();
        Usage.Clear();
        FairShare = null;
    }
}

/// <summary>The journal could not persist a batch; the runtime applied none of it.</summary>
public sealed class JournalException(string message, Exception? inner = null) : Exception(message, inner);
