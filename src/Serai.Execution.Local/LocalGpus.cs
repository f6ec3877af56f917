using System.Diagnostics;
using System.Globalization;

namespace Serai.Execution.Local;

/// <summary>A GPU of this machine as `nvidia-smi` reports it.</summary>
public sealed record LocalGpu(int Index, string Name, double MemoryGb);

/// <summary>Finds this machine's GPUs with `nvidia-smi --query-gpu`; none when the tool is missing or fails.</summary>
public static class LocalGpus
{
    public static async Task<IReadOnlyList<LocalGpu>> DetectAsync(CancellationToken cancellationToken)
    {
        var output = await RunAsync("nvidia-smi", ["--query-gpu=index,name,memory.total", "--format=csv,noheader,nounits"], cancellationToken).ConfigureAwait(false);
        return output is null ? [] : Parse(output);
    }

    /// <summary>Parses lines such as "0, NVIDIA H200, 143771" (memory in MiB).</summary>
    public static IReadOnlyList<LocalGpu> Parse(string csv)
    {
        var gpus = new List<LocalGpu>();
        foreach (var line in csv.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var parts = line.Split(',', StringSplitOptions.TrimEntries);
            if (parts.Length >= 3
                && int.TryParse(parts[0], CultureInfo.InvariantCulture, out var index)
                && double.TryParse(parts[2].Replace("MiB", "", StringComparison.Ordinal).Trim(), CultureInfo.InvariantCulture, out var mib))
            {
                gpus.Add(new LocalGpu(index, parts[1], Math.Round(mib / 1024.0, 1)));
            }
        }
        return gpus;
    }

    /// <summary>Runs a tool and returns its stdout, or null when it is missing or fails.</summary>
    internal static async Task<string?> RunAsync(string tool, IEnumerable<string> args, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(tool) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }
        try
        {
            using var process = Process.Start(start);
            if (process is null)
            {
                return null;
            }
            var output = await process.StandardOutput.ReadToEndAsync(cancellationToken).ConfigureAwait(false);
            await process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
            return process.ExitCode == 0 ? output : null;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return null;
        }
    }
}
