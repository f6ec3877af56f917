using System.Globalization;

namespace Serai.Execution.Slurm.Parsing;

/// <summary>One job as <c>squeue -h -t all -O ...</c> (fixed fields, \x1f-separated) or <c>sacct -P</c> reports it.</summary>
public sealed record SlurmJobRecord(
    string JobId,
    string State,
    string Reason,
    string Name,
    string Comment,
    string SubmitTime,
    string NodeList,
    int RestartCount,
    int? ExitCode,
    int? Signal,
    string TimeLimit);

/// <summary>Reads squeue and sacct text output; lines that do not parse are skipped (and counted), never guessed.</summary>
public static class SqueueFormat
{
    public const char Separator = '\x1f';

    /// <summary>The fields Serai asks squeue for, in this order.</summary>
    public static readonly string[] Fields = ["JobID", "State", "Reason", "Name", "Comment", "SubmitTime", "NodeList", "RestartCnt", "exit_code", "TimeLimit"];

    public static string FormatArgument => string.Join(',', Fields.Select(f => f + ":" + Separator));

    public static List<string> QueryArguments(SlurmBackendOptions options, string? name = null)
    {
        var args = new List<string> { "-h", "-t", "all", "-O", FormatArgument };
        if (name is not null)
        {
            args.AddRange(["-n", name]);
        }
        if (options.PassClusterFlag)
        {
            args.Add("--clusters=" + options.Cluster);
        }
        return args;
    }

    public static List<SlurmJobRecord> Parse(string output, out int skipped)
    {
        var records = new List<SlurmJobRecord>();
        skipped = 0;
        foreach (var line in output.Split('\n'))
        {
            if (line.Length == 0 || line.StartsWith("CLUSTER:", StringComparison.Ordinal))
            {
                continue;
            }
            var f = line.Split(Separator);
            if (f.Length < Fields.Length || !long.TryParse(f[0].Trim(), CultureInfo.InvariantCulture, out _))
            {
                skipped++;
                continue;
            }
            // exit_code is the raw wait status: high byte = exit code, low 7 bits = signal
            int? exit = null, signal = null;
            if (int.TryParse(f[8].Trim(), CultureInfo.InvariantCulture, out var status))
            {
                exit = (status >> 8) & 0xff;
                signal = status & 0x7f;
            }
            records.Add(new SlurmJobRecord(f[0].Trim(), f[1].Trim(), f[2].Trim(), f[3], f[4], f[5].Trim(), f[6].Trim(),
                int.TryParse(f[7].Trim(), CultureInfo.InvariantCulture, out var restarts) ? restarts : 0, exit, signal, f[9].Trim()));
        }
        return records;
    }

    /// <summary>The arguments of <c>sacct</c> for ended jobs: text form (sacct --json misreports exit codes), allocations only.</summary>
    public static List<string> SacctArguments(SlurmBackendOptions options, IEnumerable<string> jobIds)
    {
        var args = new List<string>();
        if (options.AccountingFromJobComp)
        {
            args.Add("-c");
        }
        args.AddRange(["-X", "-P", "-n", "-o", "JobID,JobName,State,ExitCode,NodeList", "-j", string.Join(',', jobIds)]);
        if (options.PassClusterFlag)
        {
            args.Add("--clusters=" + options.Cluster);
        }
        return args;
    }

    /// <summary>Parses <c>sacct -P</c> lines (JobID|JobName|State|ExitCode|NodeList; ExitCode "code:signal"). sacct's state may carry " by UID".</summary>
    public static List<SlurmJobRecord> ParseSacct(string output)
    {
        var records = new List<SlurmJobRecord>();
        foreach (var line in output.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var f = line.Split('|');
            if (f.Length < 5 || !long.TryParse(f[0], CultureInfo.InvariantCulture, out _))
            {
                continue;
            }
            var state = f[2].Split(' ')[0];
            var codes = f[3].Split(':');
            int? exit = codes.Length == 2 && int.TryParse(codes[0], CultureInfo.InvariantCulture, out var e) ? e : null;
            int? signal = codes.Length == 2 && int.TryParse(codes[1], CultureInfo.InvariantCulture, out var s) ? s : null;
            records.Add(new SlurmJobRecord(f[0], state, "", f[1], "", "", f[4], 0, exit, signal, ""));
        }
        return records;
    }
}
