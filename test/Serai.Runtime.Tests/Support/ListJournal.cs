using Serai.Runtime.Accounting;
using Serai.Runtime.Journal;

namespace Serai.Runtime.Tests.Support;

/// <summary>A journal that keeps every move and usage stretch written, in order.</summary>
internal sealed class ListJournal : IRuntimeJournal
{
    public List<JobTransition> Moves { get; } = [];
    public List<UsageStretch> Usage { get; } = [];

    public void Write(JournalBatch batch)
    {
        Moves.AddRange(batch.Transitions);
        Usage.AddRange(batch.Usage);
    }
}
