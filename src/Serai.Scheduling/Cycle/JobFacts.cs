using System.Runtime.CompilerServices;
using Serai.Core.Jobs;
using Serai.Core.Model;

namespace Serai.Scheduling.Cycle;

/// <summary>What never changes about a job on a given hub: its shape and the pools its permanent filters allow.</summary>
internal sealed record JobFacts(JobShape Shape, int[] Pools, Reason PermanentReason);

/// <summary>
/// Keeps <see cref="JobFacts"/> per job spec across cycles, for one hub: a job waiting through many cycles has its
/// permanent filters evaluated once. A pure function of hub and spec, so caching it changes no decision.
/// </summary>
internal sealed class JobFactsCache
{
    private HubModel? _hub;
    private ConditionalWeakTable<JobSpec, JobFacts> _facts = new();

    public JobFacts Get(HubModel hub, JobSpec job, Func<JobSpec, JobFacts> compute)
    {
        if (!ReferenceEquals(hub, _hub))
        {
            (_hub, _facts) = (hub, new ConditionalWeakTable<JobSpec, JobFacts>());
        }
        if (!_facts.TryGetValue(job, out var facts))
        {
            facts = compute(job);
            _facts.AddOrUpdate(job, facts);
        }
        return facts;
    }
}
