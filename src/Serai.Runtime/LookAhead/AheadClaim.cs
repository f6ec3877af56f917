using Serai.Core.Jobs;

namespace Serai.Runtime.LookAhead;

/// <summary>
/// A job handed to its pool's site ahead of GPUs freeing (a Slurm job PENDING there): it holds no GPUs in the hub state
/// and books no usage until it takes GPUs (<see cref="HubRuntime"/>'s look-ahead), but counts against the pool's bound
/// and, for the envelope, as if it ran. <see cref="Shape"/> is the placement the look-ahead pass found, kept for its
/// node count and GPUs per node only: where it starts is the site's choice.
/// </summary>
public sealed class AheadClaim(int slot, int pool, int attempt, Placement shape, double powerFraction, double watts, long sinceUnix, long serial)
{
    public int Slot { get; } = slot;
    public int Pool { get; } = pool;
    public int Attempt { get; } = attempt;
    public Placement Shape { get; } = shape;
    public double PowerFraction { get; } = powerFraction;

    /// <summary>Busy power the job draws once it runs (GPUs × TDP × power fraction), counted against its site's envelope from now.</summary>
    public double Watts { get; } = watts;

    public long SinceUnix { get; } = sinceUnix;

    /// <summary>Order of the claims (the site queues them in this order).</summary>
    public long Serial { get; } = serial;

    public int Gpus => Shape.Gpus;

    /// <summary>What the job's owner reads while it waits at the site ("queued at site kz behind 9 jobs on pool h100: ...").</summary>
    public string Reason { get; init; } = "";

    /// <summary>The backend's handle once it answered (a Slurm job id).</summary>
    public string? Handle { get; set; }

    /// <summary>A cancel at the site was sent (an emergency needs the place); the job is offered again once it is confirmed.</summary>
    public bool Withdrawing { get; set; }
}
