using System.Globalization;
using Serai.Core.Jobs;
using Serai.Core.Model;

namespace Serai.Scheduling;

/// <summary>Why a decision was taken; kept as a code plus figures and turned into words only when asked.</summary>
public enum ReasonCode
{
    Placed,
    Backfilled,
    NoCapacity,
    GangTooLarge,
    ItPowerCap,
    GridLimit,
    CoolingLimit,
    Residency,
    StackOrMemory,
    HighRiskUnapproved,
    QuotaBorrowLimit,
    PriorityNotAllowed,
    PoolClosed,
    SiteDown,
    UnknownReference,
    Reserved,
    BlockedByReservation,
    BehindHead,
    DeferredForCleanerHour,
    NotYetEligible,
    PreemptedForPriority,
    PreemptedToReclaimGuarantee,
    EnvelopeThrottle,
    EnvelopeRestore,
    EnvelopePreempt,
    PreemptedForShorterRemaining,
    PreemptedForLessAttained,
}

/// <summary>
/// A reason as data: the code, the plugin that gave it, and the figures that explain it. <see cref="Describe"/>
/// writes the sentence, e.g. "no allowed pool has 64 free GPUs: closest kz-astana/h200 has 12".
/// </summary>
public readonly record struct Reason(
    ReasonCode Code,
    string Plugin,
    int Pool = -1,
    double Have = 0,
    double Need = 0,
    long Time = 0,
    JobId Other = default,
    int Index = -1)
{
    /// <summary>The sentence a person reads; <paramref name="aiSystems"/> names AI systems (default: the configured ones).</summary>
    public string Describe(HubModel hub, AiSystemRegistry? aiSystems = null)
    {
        var pool = Pool >= 0 ? hub.Pools[Pool].QualifiedName(hub) : "?";
        var site = Pool >= 0 ? hub.Sites[hub.Pools[Pool].Site].Name : "?";
        var model = Pool >= 0 ? hub.Pools[Pool].Accelerator.Model : "GPU";
        return Code switch
        {
            ReasonCode.Placed => $"best of the allowed pools, {pool} scored {Have:F1} of 100",
            ReasonCode.Backfilled => $"backfilled on {pool}: ends by {At(Time)}, before the start reserved for job {Other}",
            ReasonCode.NoCapacity => $"no allowed pool has {Need:F0} free GPUs: closest {pool} has {Have:F0} free {model}",
            ReasonCode.GangTooLarge => $"a gang of {Need:F0} GPUs does not fit any allowed pool: largest is {pool} with {Have:F0}",
            ReasonCode.ItPowerCap => $"IT power cap at {site}: {Mw(Have)} headroom, job needs {Mw(Need)}",
            ReasonCode.GridLimit => $"grid connection at {site}: facility power would need {Mw(Need)}, {Mw(Have)} left at this hour's PUE",
            ReasonCode.CoolingLimit => $"cooling at {site}: {Mw(Have)} of heat removal left at this hour's temperature, job needs {Mw(Need)}",
            ReasonCode.Residency when (ulong)Need == 0 =>
                "data residency: no country is allowed both by the tenant and by the job's datasets, so the job may run nowhere",
            ReasonCode.Residency => $"data residency: the job's data may be processed only in {hub.CountryNames((ulong)Need)}; no pool there fits",
            ReasonCode.StackOrMemory => $"no pool's accelerator runs the job's stacks ({hub.StackNames((uint)Need)}) with at least {Have:F0} GB",
            ReasonCode.HighRiskUnapproved when (aiSystems ?? hub.ConfiguredAiSystems).Systems is var systems && Index >= 0 && Index < systems.Length && !systems[Index].ClassConfirmed =>
                $"AI system {systems[Index].Id}: the risk class its tenant declared ({systems[Index].Risk.ToString().ToLowerInvariant()}) waits for the admin's confirmation",
            ReasonCode.HighRiskUnapproved => $"AI system {Name((aiSystems ?? hub.ConfiguredAiSystems).Systems, Index, a => a.Id)} is high-risk and not approved",
            ReasonCode.QuotaBorrowLimit => $"tenant {Name(hub.Tenants, Index, t => t.Name)} would borrow {Need:F0} GPUs beyond its guarantees; its limit is {Have:F0}",
            ReasonCode.PriorityNotAllowed => $"tenant {Name(hub.Tenants, Index, t => t.Name)} may not use this priority class",
            ReasonCode.PoolClosed => $"{pool} takes no new work: its vendor is cut off, or an operator drained it or its site",
            ReasonCode.SiteDown => $"site {site} is down",
            ReasonCode.UnknownReference => "the job names a tenant, dataset, AI system or accelerator this hub does not have",
            ReasonCode.Reserved => $"no room now; GPUs reserved for it on {pool} from {At(Time)}",
            ReasonCode.BlockedByReservation => $"would delay job {Other}, which has GPUs reserved on {pool} from {At(Time)}",
            ReasonCode.BehindHead => $"waits behind job {Other} (strict order)",
            ReasonCode.DeferredForCleanerHour => $"deferred to {At(Time)}: {Have:F0} instead of {Need:F0} gCO2 per IT kWh (with PUE), deadline still met",
            ReasonCode.NotYetEligible => $"deferred until {At(Time)}",
            ReasonCode.PreemptedForPriority => $"preempted for job {Other}, of a higher priority class, on {pool}",
            ReasonCode.PreemptedToReclaimGuarantee => $"preempted so that job {Other}'s tenant gets its guaranteed GPUs on {pool}",
            ReasonCode.PreemptedForShorterRemaining =>
                $"preempted for job {Other} on {pool}: shortest remaining time first, and this job expects to run longer than job {Other}'s whole estimate",
            ReasonCode.PreemptedForLessAttained =>
                $"preempted for job {Other} on {pool}: least attained service first, and this job has received more GPU time than job {Other}",
            ReasonCode.EnvelopeThrottle => $"{site} draws {Mw(Have)} of IT power over its {Mw(Need)} limit at this hour",
            ReasonCode.EnvelopeRestore => $"{site} has headroom again ({Mw(Have)} under its {Mw(Need)} limit)",
            ReasonCode.EnvelopePreempt => $"{site} still draws {Mw(Have)} over its {Mw(Need)} limit after throttling",
            _ => Code.ToString(),
        };
    }

    public string CodeName => Code.ToString();

    private static string Mw(double watts) => string.Create(CultureInfo.InvariantCulture, $"{watts / 1e6:F3} MW");

    private static string At(long unix) => DateTimeOffset.FromUnixTimeSeconds(unix).ToString("yyyy-MM-dd HH:mm'Z'", CultureInfo.InvariantCulture);

    private static string Name<T>(T[] items, int index, Func<T, string> name) => index >= 0 && index < items.Length ? name(items[index]) : "?";
}
