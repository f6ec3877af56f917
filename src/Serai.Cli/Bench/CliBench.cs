using System.Diagnostics;
using System.Reflection.PortableExecutable;
using System.Runtime.InteropServices;
using Serai.Server;

namespace Serai.Cli.Bench;

/// <summary>One client's figures for one command: wall milliseconds per call, start to exit.</summary>
public sealed record CliBenchRow(string Client, string Command, int Runs, int Failed, double MedianMs, double P90Ms, double MinMs, double? MedianCpuMs);

/// <summary>What the CLI start-up benchmark measured, and on what.</summary>
public sealed record CliBenchResult(IReadOnlyList<CliBenchRow> Rows, IReadOnlyList<string> Notes, string Machine, string LoadBefore, string LoadAfter);

/// <summary>
/// Starts the server in this process on loopback (backend "none": jobs are scheduled, nothing runs), then runs
/// `serai jobs` and `serai submit` N times each as a user's shell would (a new process each time, output read to the
/// end) with the native client and with the full CLI, and `sbatch` on a local Slurm cluster beside them.
/// </summary>
public static partial class CliBench
{
    /// <summary>Where the clients are: the native one and the full one (null: not measured), sbatch and its Slurm config.</summary>
    public sealed record Clients(string? Native, string[]? Full, string FullLabel, string? SlurmConf, string? Sbatch);

    public static async Task<CliBenchResult> RunAsync(string hub, int runs, Clients clients, Action<string>? progress)
    {
        var directory = Path.Combine(Path.GetTempPath(), "serai-bench-cli-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(directory);
        var token = "serai_bench_" + Guid.NewGuid().ToString("N");
        var loadBefore = Load();
        await using var app = SeraiApp.Build(
        [
            "--urls", "http://127.0.0.1:0", "--Serai:Database", $"sqlite:{Path.Combine(directory, "bench.db")}", "--Serai:Hub", hub,
            "--Serai:Backend", "none", "--Serai:DataDirectory", directory, "--Serai:BootstrapAdminToken", token,
            "--Serai:CreateTenantTokens", "false", "--Logging:LogLevel:Default", "Warning",
        ]);
        await app.StartAsync();
        var environment = new Dictionary<string, string>
        {
            ["SERAI_URL"] = app.Urls.First(), ["SERAI_TOKEN"] = token, ["XDG_CONFIG_HOME"] = Path.Combine(directory, "config"), ["COLUMNS"] = "160",
        };
        var rows = new List<CliBenchRow>();
        var notes = new List<string>();
        string[][] commands = [["jobs"], ["submit", "--gpus", "1", "--", "true"]];
        foreach (var (label, prefix) in (List<(string, string[]?)>)[("native (AOT)", clients.Native is null ? null : [clients.Native]), (clients.FullLabel, clients.Full)])
        {
            if (prefix is null)
            {
                notes.Add($"{label}: not found, not measured");
                continue;
            }
            foreach (var command in commands)
            {
                progress?.Invoke($"{label}: serai {string.Join(' ', command)} x {runs}");
                rows.Add(Measure(label, "serai " + command[0], [.. prefix, .. command], environment, runs));
            }
        }
        if (clients.Sbatch is not null && clients.SlurmConf is not null && File.Exists(clients.SlurmConf))
        {
            // the jobs' output goes nowhere: no slurm-N.out left in the caller's directory
            progress?.Invoke($"sbatch --parsable -p gpu -o /dev/null --wrap true x {runs} (SLURM_CONF={clients.SlurmConf})");
            rows.Add(Measure("sbatch (Slurm)", "sbatch", [clients.Sbatch, "--parsable", "-p", "gpu", "-o", "/dev/null", "--wrap", "true"],
                new Dictionary<string, string> { ["SLURM_CONF"] = clients.SlurmConf }, runs));
        }
        else
        {
            notes.Add(clients.Sbatch is null
                ? "sbatch not found on this machine: no Slurm figure"
                : $"no Slurm config at {clients.SlurmConf}: no sbatch figure (start the clusters with `bash scripts/services/slurm.sh`)");
        }
        await app.StopAsync();
        try
        {
            Directory.Delete(directory, recursive: true);
        }
        catch (IOException)
        {
            // a file still open: the temporary directory stays
        }
        return new CliBenchResult(rows, notes, MachineDescription.Current(), loadBefore, Load());
    }

    /// <summary>The full CLI this process is (its apphost, else `dotnet serai.dll`) and whether it is ReadyToRun-compiled.</summary>
    public static (string[] Command, string Label) ThisCli()
    {
        var dll = typeof(CliBench).Assembly.Location;
        var host = Path.Combine(AppContext.BaseDirectory, OperatingSystem.IsWindows() ? "serai.exe" : "serai");
        using var reader = new PEReader(File.OpenRead(dll));
        var readyToRun = reader.PEHeaders.CorHeader?.ManagedNativeHeaderDirectory.Size > 0;
        return (File.Exists(host) ? [host] : ["dotnet", dll], readyToRun ? "full CLI (ReadyToRun)" : "full CLI (JIT)");
    }

    private static CliBenchRow Measure(string client, string label, string[] command, Dictionary<string, string> environment, int runs)
    {
        Run(command, environment); // the first call reads the executable from disk: not counted
        var times = new List<double>(runs);
        var cpu = new List<double>(runs);
        var failed = 0;
        for (var i = 0; i < runs; i++)
        {
            var before = ChildrenCpuMs();
            var (code, ms) = Run(command, environment);
            times.Add(ms);
            if (before is not null && ChildrenCpuMs() is { } after)
            {
                cpu.Add(after - before.Value);
            }
            failed += code == 0 ? 0 : 1;
        }
        var sorted = times.Order().ToArray();
        return new CliBenchRow(client, label, runs, failed, ApiBench.Percentile(sorted, 0.5), ApiBench.Percentile(sorted, 0.9), sorted[0],
            cpu.Count == 0 ? null : ApiBench.Percentile([.. cpu.Order()], 0.5));
    }

    /// <summary>
    /// User + system CPU ms of this process's ended children (Linux getrusage): the steadier figure on a shared machine,
    /// where wall time also counts waiting for a core. Null elsewhere.
    /// </summary>
    private static double? ChildrenCpuMs()
    {
        // struct rusage on 64-bit Linux: ru_utime and ru_stime (seconds, microseconds each), then 14 longs
        var usage = new long[18];
        if (!OperatingSystem.IsLinux() || GetResourceUsage(-1 /* RUSAGE_CHILDREN */, usage) != 0)
        {
            return null;
        }
        return (usage[0] + usage[2]) * 1000.0 + (usage[1] + usage[3]) / 1000.0;
    }

    [LibraryImport("libc", EntryPoint = "getrusage")]
    private static partial int GetResourceUsage(int who, [Out] long[] usage);

    private static (int Code, double Ms) Run(string[] command, Dictionary<string, string> environment)
    {
        var start = new ProcessStartInfo(command[0]) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in command.Skip(1))
        {
            start.ArgumentList.Add(arg);
        }
        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }
        var watch = Stopwatch.StartNew();
        using var process = Process.Start(start)!;
        var error = process.StandardError.ReadToEndAsync();
        process.StandardOutput.ReadToEnd();
        error.Wait();
        process.WaitForExit();
        return (process.ExitCode, watch.Elapsed.TotalMilliseconds);
    }

    private static string Load()
    {
        try
        {
            return string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3));
        }
        catch (IOException)
        {
            return "?";
        }
    }
}
