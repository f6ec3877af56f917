namespace Serai.Execution.Local;

/// <summary>The tools the wrapper needs, by absolute path: a job's environment (its PATH) has no say in what starts it.</summary>
internal static class Executables
{
    public static string SetSid { get; } = Find("setsid");

    public static string SetPriv { get; } = Find("setpriv");

    private static string Find(string tool)
    {
        var path = Environment.GetEnvironmentVariable("PATH") is { Length: > 0 } p ? p : "/usr/bin:/bin";
        foreach (var directory in path.Split(':', StringSplitOptions.RemoveEmptyEntries).Concat(["/usr/bin", "/bin", "/usr/sbin", "/sbin"]))
        {
            var candidate = Path.Combine(directory, tool);
            if (Path.IsPathRooted(candidate) && File.Exists(candidate))
            {
                return candidate;
            }
        }
        return tool; // Process.Start then says it is missing
    }
}
