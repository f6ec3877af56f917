namespace Serai.Execution;

/// <summary>
/// What a backend needs to start one attempt of a placed job: where (site, pool, nodes and their GPUs), what (command,
/// environment, working directory) and for how long. Attempts count from 1; a preempted job runs again as the next one.
/// <see cref="OutputPath"/> and <see cref="ErrorPath"/> are the files the job's output patterns name (already expanded;
/// relative ones are under the working directory), opened by the job's account; null: the backend's own log files.
/// </summary>
public sealed record JobLaunch(
    long JobId,
    int Attempt,
    string Tenant,
    string Site,
    string Pool,
    IReadOnlyList<LaunchNode> Nodes,
    string Vendor,
    IReadOnlyList<string> Command,
    long? TimeLimitSeconds = null,
    IReadOnlyDictionary<string, string>? Environment = null,
    string? WorkingDirectory = null,
    string? OutputPath = null,
    string? ErrorPath = null)
{
    /// <summary>How later calls name this attempt.</summary>
    public JobRef Job => new(JobId, Attempt, Site);
}

/// <summary>A node of the pool that a job got: its index in the pool, its hostname when the pool lists them, and the GPU indexes on it.</summary>
public sealed record LaunchNode(int Index, string? Hostname, IReadOnlyList<int> GpuIndexes)
{
    /// <summary>The hostname, or the index as text when the pool lists no hostnames.</summary>
    public string Label => Hostname ?? Index.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
