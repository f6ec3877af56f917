using Serai.Core.Jobs;
using Serai.Core.Model;

namespace Serai.Server.Jobs;

/// <summary>Turns a stored request (names) into the scheduler's spec (indexes) against the hub in force.</summary>
public static class JobSpecs
{
    /// <summary>The spec, or an error naming what this hub does not have.</summary>
    public static (JobSpec? Spec, string? Error) Resolve(HubModel hub, AiSystemRegistry aiSystems, long id, JobRequest request, long submitUnix)
    {
        if (hub.TenantIndex(request.Tenant) is not { } tenant)
        {
            return (null, $"tenant '{request.Tenant}' is not in this hub");
        }
        var datasets = new int[request.Datasets.Length];
        for (var i = 0; i < datasets.Length; i++)
        {
            if (hub.DatasetIndex(request.Datasets[i]) is not { } d)
            {
                return (null, $"dataset '{request.Datasets[i]}' is not in this hub");
            }
            datasets[i] = d;
        }
        var aiSystem = -1;
        if (request.AiSystem is not null)
        {
            if (aiSystems.IndexOf(request.AiSystem) is not { } a)
            {
                return (null, $"AI system '{request.AiSystem}' is not registered");
            }
            aiSystem = a;
        }
        var accelerator = -1;
        if (request.Accelerator is not null)
        {
            if (hub.AcceleratorIndex(request.Accelerator) is not { } a)
            {
                return (null, $"accelerator '{request.Accelerator}' is not in this hub");
            }
            accelerator = a;
        }
        var stacks = request.Stacks.Length == 0 ? (hub.Stacks.Length >= 32 ? uint.MaxValue : (1u << hub.Stacks.Length) - 1) : hub.StackMask(request.Stacks);
        PriorityClasses.TryParse(request.Priority, out var priority);
        var spec = new JobSpec
        {
            Id = new JobId(id),
            Tenant = tenant,
            Gpus = request.Gpus,
            GpusPerNode = request.GpusPerNode,
            StackMask = stacks,
            MinGpuMemoryGb = request.MinGpuMemoryGb,
            Accelerator = accelerator,
            Priority = priority,
            SubmitUnix = submitUnix,
            EstimatedSeconds = request.TimeLimitSeconds,
            DeadlineUnix = request.DeadlineUnix,
            Deferrable = request.Deferrable,
            Checkpointable = request.Checkpointable,
            Datasets = datasets,
            AiSystem = aiSystem,
            PowerFraction = request.PowerFraction,
            Name = request.Name,
        };
        return (spec, null);
    }
}
