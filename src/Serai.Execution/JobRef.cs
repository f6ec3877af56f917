using System.Globalization;

namespace Serai.Execution;

/// <summary>One attempt of a job at a site: how every call after dispatch names it (backends' own ids are per site).</summary>
public readonly record struct JobRef(long JobId, int Attempt, string Site)
{
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"job {JobId} attempt {Attempt} at {Site}");
}

/// <summary>Why Serai stops a running attempt.</summary>
public enum StopKind
{
    /// <summary>The job is cancelled for good.</summary>
    Cancel,

    /// <summary>The job makes room for another and will be dispatched again as a new attempt.</summary>
    Preempt,
}
