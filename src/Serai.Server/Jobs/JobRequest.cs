namespace Serai.Server.Jobs;

/// <summary>
/// A validated submission, by names (tenant, datasets, AI system); stored as the job's spec. An array's task carries
/// its array's id (the first task's job id), its index and the array's limit of tasks at once; a dependency is kept
/// as written and as the job ids it names (an array's id stands for all its tasks). <see cref="Output"/> and
/// <see cref="Error"/> are sbatch filename patterns as given (see <see cref="Serai.Execution.OutputPattern"/>).
/// </summary>
public sealed record JobRequest(
    string Tenant,
    string? Name,
    int Gpus,
    int GpusPerNode,
    long? TimeLimitSeconds,
    string Priority,
    string[] Datasets,
    string? AiSystem,
    string[] Stacks,
    string? Accelerator,
    double MinGpuMemoryGb,
    long? DeadlineUnix,
    bool Deferrable,
    bool Checkpointable,
    double PowerFraction,
    string[] Command,
    string? WorkingDirectory = null,
    IReadOnlyDictionary<string, string>? Environment = null,
    bool Hold = false,
    string? Dependency = null,
    long[]? DependencyIds = null,
    long? ArrayJobId = null,
    int? ArrayTaskId = null,
    string? Array = null,
    int? ArrayLimit = null,
    string? Notify = null,
    string? Output = null,
    string? Error = null);

/// <summary>The body of `POST /api/v1/jobs`, as documented in OpenAPI; the server reads it field by field.</summary>
public sealed record SubmitJobBody(
    string[] Command,
    int Gpus,
    string? Tenant = null,
    string? Name = null,
    int? GpusPerNode = null,
    string? Time = null,
    string? Priority = null,
    string[]? Datasets = null,
    string? AiSystem = null,
    string[]? Stacks = null,
    string? Accelerator = null,
    double? MinGpuMemoryGb = null,
    long? DeadlineUnix = null,
    bool? Deferrable = null,
    bool? Checkpointable = null,
    double? PowerFraction = null,
    string? WorkingDirectory = null,
    string? SubmitDirectory = null,
    IReadOnlyDictionary<string, string>? Environment = null,
    bool? Hold = null,
    string? Array = null,
    string? Dependency = null,
    string? Notify = null,
    string? Output = null,
    string? Error = null);
