using System.Globalization;
using System.Text.RegularExpressions;

namespace Serai.Execution.Slurm.Parsing;

/// <summary>One node of a cluster as <c>sinfo -N</c> shows it, with its GPUs (GRES minus GRES used).</summary>
public sealed record SlurmNodeRecord(string Name, string State, string Partition, string? GresType, int Gpus, int GpusUsed, string Reason)
{
    /// <summary>Down, drained (or draining), failing, not responding: no new work goes there.</summary>
    public bool Unavailable => State.Split('+').Any(s => s.TrimEnd('*', '~', '#', '!', '%', '$', '@', '^', '-') is "down" or "drained" or "draining" or "drain" or "fail" or "failing" or "not_responding" or "unknown" or "future" or "inval" or "maint" or "reserved")
        || State.EndsWith('*');

    /// <summary>Down or failed. A node briefly not responding (just resumed, a missed ping) is unavailable but not reported down.</summary>
    public bool Down => State.Split('+').Any(s => s.TrimEnd('*', '~', '#', '!', '%', '$', '@', '^', '-') is "down" or "fail");

    public bool Drained => !Down && State.Split('+').Any(s => s.StartsWith("drain", StringComparison.Ordinal));

    public int FreeGpus => Unavailable ? 0 : Math.Max(0, Gpus - GpusUsed);
}

/// <summary>Reads <c>sinfo -N -h -O NodeList,StateComplete,Gres,GresUsed,Partition,Reason</c> with a \x1f separator.</summary>
public static partial class SinfoFormat
{
    public static List<string> QueryArguments(SlurmBackendOptions options)
    {
        var format = string.Join(',', ((string[])["NodeList", "StateComplete", "Gres", "GresUsed", "Partition", "Reason"]).Select(f => f + ":" + SqueueFormat.Separator));
        var args = new List<string> { "-N", "-h", "-O", format };
        if (options.PassClusterFlag)
        {
            args.Add("--clusters=" + options.Cluster);
        }
        return args;
    }

    public static List<SlurmNodeRecord> Parse(string output)
    {
        var nodes = new List<SlurmNodeRecord>();
        foreach (var line in output.Split('\n'))
        {
            var f = line.Split(SqueueFormat.Separator);
            if (f.Length < 6 || f[0].Trim().Length == 0 || line.StartsWith("CLUSTER:", StringComparison.Ordinal))
            {
                continue;
            }
            var (type, total) = Gpus(f[2]);
            var (_, used) = Gpus(f[3]);
            nodes.Add(new SlurmNodeRecord(f[0].Trim(), f[1].Trim().ToLowerInvariant(), f[4].Trim().TrimEnd('*'), type, total, used, f[5].Trim()));
        }
        return nodes;
    }

    /// <summary>The GPU type and count of a GRES list ("gpu:h100:4", "gpu:h100:3(IDX:0-2),shard:0", "gpu:2", "(null)").</summary>
    public static (string? Type, int Count) Gpus(string gres)
    {
        string? type = null;
        var count = 0;
        foreach (Match m in GpuGres().Matches(gres))
        {
            type ??= m.Groups[1].Success ? m.Groups[1].Value : null;
            count += int.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture);
        }
        return (type, count);
    }

    [GeneratedRegex(@"(?:^|,)gpu(?::([A-Za-z0-9_.-]+))?:(\d+)(?=\(|,|\s|$)")]
    private static partial Regex GpuGres();
}
