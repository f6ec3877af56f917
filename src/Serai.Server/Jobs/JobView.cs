using System.Text.Json;
using Serai.Contracts;
using Serai.Server.Control;
using Serai.Server.Persistence;

namespace Serai.Server.Jobs;

/// <summary>
/// A job as the API shows it; times are Unix seconds. Exported variables are shown by name only (their values may be
/// secrets). <see cref="Notes"/> tell the submitter what was decided for it (e.g. where it runs). <see cref="OutputFile"/> and
/// <see cref="ErrorFile"/> are the files its output patterns name, expanded (relative: under the job's own directory).
/// </summary>
public sealed record JobView(
    long Id,
    string Tenant,
    string? Name,
    string State,
    string Priority,
    int Gpus,
    int GpusPerNode,
    long? TimeLimitSeconds,
    IReadOnlyList<string> Command,
    IReadOnlyList<string> Datasets,
    string? AiSystem,
    bool Deferrable,
    bool Checkpointable,
    long? DeadlineUnix,
    long SubmitUnix,
    long? AdmittedUnix,
    long? StartedUnix,
    long? EndedUnix,
    long? NotBeforeUnix,
    long? ExitCode,
    string? Reason,
    string? Site,
    string? Pool,
    IReadOnlyList<IReadOnlyList<int>>? GpuIndexes,
    long Preemptions,
    string? Accelerator = null,
    string? WorkingDirectory = null,
    IReadOnlyList<string>? EnvironmentNames = null,
    bool Held = false,
    string? Dependency = null,
    long? ArrayJobId = null,
    int? ArrayTaskId = null,
    int? ArrayLimit = null,
    int? ArrayTasks = null,
    IReadOnlyList<string>? Notes = null,
    string? Notify = null,
    string? OutputFile = null,
    string? ErrorFile = null)
{
    /// <summary>The view of a stored job; <paramref name="stored"/> is the request its spec holds where the caller has it (a job just created), which saves reading the JSON back.</summary>
    public static JobView From(JobRow row, ControlLoop? loop = null, JobRequest? stored = null)
    {
        var request = stored ?? JsonSerializer.Deserialize<JobRequest>(row.Spec)!;
        var placement = PlacementCodec.Decode(row.Placement);
        var files = JobOutputFiles.For(request, row.Id);
        var reason = row.State == JobStates.Pending ? loop?.WaitReason(row.Id) ?? row.Reason : row.Reason;
        return new JobView(
            row.Id, row.Tenant, row.Name, row.State, row.Priority, request.Gpus, request.GpusPerNode, request.TimeLimitSeconds,
            request.Command, request.Datasets, request.AiSystem, request.Deferrable, request.Checkpointable, request.DeadlineUnix,
            row.SubmitUnix, row.AdmittedUnix, row.StartedUnix, row.EndedUnix, row.NotBeforeUnix, row.ExitCode, reason, row.Site, row.Pool,
            placement?.Nodes.Select((_, i) => (IReadOnlyList<int>)placement.GpuIndexes(i).ToArray()).ToArray(),
            row.Preemptions, request.Accelerator, request.WorkingDirectory, request.Environment?.Keys.Order(StringComparer.Ordinal).ToArray(),
            request.Hold && row.State == JobStates.Pending, request.Dependency, request.ArrayJobId, request.ArrayTaskId, request.ArrayLimit,
            Notify: request.Notify, OutputFile: files.Output, ErrorFile: files.Error);
    }
}

/// <summary>A page of jobs and the cursor of the next page (null at the end).</summary>
public sealed record JobPage(IReadOnlyList<JobView> Items, string? Next);
