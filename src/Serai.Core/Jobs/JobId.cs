namespace Serai.Core.Jobs;

/// <summary>Identity of a job, unique within a hub.</summary>
public readonly record struct JobId(long Value) : IComparable<JobId>
{
    public int CompareTo(JobId other) => Value.CompareTo(other.Value);

    public override string ToString() => Value.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
