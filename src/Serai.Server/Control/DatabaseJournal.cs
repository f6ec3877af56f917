using Serai.Core.Model;
using Serai.Runtime.Accounting;
using Serai.Runtime.Journal;
using Serai.Server.Persistence;

namespace Serai.Server.Control;

/// <summary>
/// The runtime's journal in the database: each batch of moves (with their audit entries), the usage stretches they
/// close and the tenants' fair-share usage, in one transaction, before the runtime applies them in memory.
/// </summary>
public sealed class DatabaseJournal(GroupCommitWriter writer, Func<HubModel> hub) : IRuntimeJournal
{
    /// <summary>Called after each written batch with its moves (the loop forgets wait reasons of jobs that left the queue).</summary>
    public Action<IReadOnlyList<JobTransition>>? Written { get; set; }

    /// <summary>Test hook: throws instead of writing while it returns true (fault injection).</summary>
    public Func<bool>? FailWrites { get; set; }

    public void Write(JournalBatch batch)
    {
        var model = hub();
        var moves = batch.Transitions.ToArray();
        var usage = batch.Usage.Select(s => Segment(model, s)).ToArray();
        var fairShare = batch.FairShare;
        if (FailWrites?.Invoke() == true)
        {
            throw new JournalException("the database refused the write (injected fault)");
        }
        try
        {
            writer.WriteAsync((c, t) =>
            {
                foreach (var m in moves)
                {
                    var placement = m.Placement is { } p ? PlacementCodec.Encode(p) : null;
                    JobStore.Apply(c, t, m, placement);
                    if (m.Action != "dispatch")
                    {
                        AuditStore.Append(c, t, m.AtUnix, m.Action, m.Job.Value, model.Tenants[m.Tenant].Name, m.Code, m.Text);
                    }
                }
                foreach (var s in usage)
                {
                    UsageStore.Append(c, t, s);
                    JobStore.SetAccountedUntil(c, t, s.JobId, s.EndUnix);
                }
                if (fairShare is { } f)
                {
                    TenantUsageStore.Save(c, t, model.Tenants.Select(x => x.Name).ToArray(), f.DecayedGpuSeconds, f.AtUnix);
                }
            }).GetAwaiter().GetResult();
        }
        catch (Exception e) when (e is not JournalException)
        {
            throw new JournalException($"the database could not record {moves.Length} move(s): {e.Message}", e);
        }
        Written?.Invoke(moves);
    }

    /// <summary>A usage stretch with names, as the accounting table keeps it.</summary>
    public static UsageSegment Segment(HubModel hub, UsageStretch s) =>
        new(s.JobId, hub.Tenants[s.Tenant].Name, hub.Sites[s.Site].Name, hub.Accelerators[s.Accelerator].Model,
            s.StartUnix, s.EndUnix, s.Gpus, s.GpuSeconds, s.FacilityKwh, s.Co2Kg, s.CostUsd);
}
