using System.Globalization;

namespace Serai.Server.Jobs;

/// <summary>What a job finds in its environment beside the backend's own variables: what it exported, its name, its array index.</summary>
public static class JobEnvironment
{
    public static IReadOnlyDictionary<string, string>? For(JobRequest request)
    {
        if (request.Environment is null && request.ArrayJobId is null && request.Name is null)
        {
            return null;
        }
        var variables = new Dictionary<string, string>(request.Environment ?? new Dictionary<string, string>(), StringComparer.Ordinal);
        if (request.Name is { } name)
        {
            variables["SERAI_JOB_NAME"] = name;
        }
        if (request is { ArrayJobId: { } array, ArrayTaskId: { } task })
        {
            variables["SERAI_ARRAY_JOB_ID"] = array.ToString(CultureInfo.InvariantCulture);
            variables["SERAI_ARRAY_TASK_ID"] = task.ToString(CultureInfo.InvariantCulture);
        }
        return variables;
    }
}
