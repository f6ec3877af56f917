using System.Runtime.InteropServices;

namespace Serai.Cli.Bench;

/// <summary>A one-line description of the machine a benchmark ran on (CPU model, cores, memory, runtime).</summary>
public static class MachineDescription
{
    public static string Current()
    {
        var cpu = "unknown CPU";
        try
        {
            var line = File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal));
            if (line is not null)
            {
                cpu = line[(line.IndexOf(':', StringComparison.Ordinal) + 1)..].Trim();
            }
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
        var memoryGib = GC.GetGCMemoryInfo().TotalAvailableMemoryBytes / (1024.0 * 1024 * 1024);
        return $"{cpu}, {Environment.ProcessorCount} cores, {memoryGib:F0} GiB, {RuntimeInformation.FrameworkDescription}, {RuntimeInformation.OSDescription}";
    }
}
