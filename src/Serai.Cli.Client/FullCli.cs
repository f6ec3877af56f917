using System.Diagnostics;
using System.Runtime.InteropServices;

namespace Serai.Cli;

/// <summary>
/// Hands a command line to the full `serai` (JIT: serve, simulate, bench, hub and every client command): the one named
/// by SERAI_FULL_CLI (its executable, or its serai.dll, run with dotnet), else `full/serai` beside this executable. On
/// Unix the process becomes the full CLI (exec), so standard input, output, error, signals and the exit code are its own.
/// </summary>
public static partial class FullCli
{
    public const string Variable = "SERAI_FULL_CLI";

    /// <summary>The full CLI's command line before the user's arguments, or null when it is not found.</summary>
    public static string[]? Find()
    {
        var path = Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } named
            ? Path.GetFullPath(named)
            : Path.Combine(AppContext.BaseDirectory, "full", OperatingSystem.IsWindows() ? "serai.exe" : "serai");
        if (!File.Exists(path) || string.Equals(path, Environment.ProcessPath, StringComparison.Ordinal))
        {
            return null;
        }
        return path.EndsWith(".dll", StringComparison.OrdinalIgnoreCase) ? ["dotnet", path] : [path];
    }

    public static int Run(string[] args)
    {
        if (Find() is not { } command)
        {
            var word = ClientEntry.CommandWord(args) ?? "--help";
            Console.Error.WriteLine($"error: `serai {word}` needs the full serai CLI, which is not installed beside this one "
                + $"({Path.Combine(AppContext.BaseDirectory, "full", "serai")}); install it there or name it in {Variable}");
            return 2;
        }
        string[] argv = [.. command, .. args];
        if (!OperatingSystem.IsWindows())
        {
            Console.Out.Flush();
            Console.Error.Flush();
            // returns only when the exec failed
            var code = command.Length == 1 ? Exec(argv[0], [.. argv, null]) : ExecSearchingPath(argv[0], [.. argv, null]);
            Console.Error.WriteLine($"error: cannot start the full serai CLI ({argv[0]}): errno {Marshal.GetLastPInvokeError()} ({code})");
            return 2;
        }
        var start = new ProcessStartInfo(argv[0]) { UseShellExecute = false };
        foreach (var arg in argv.Skip(1))
        {
            start.ArgumentList.Add(arg);
        }
        using var process = Process.Start(start)!;
        process.WaitForExit();
        return process.ExitCode;
    }

    [LibraryImport("libc", EntryPoint = "execv", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Exec(string path, string?[] argv);

    [LibraryImport("libc", EntryPoint = "execvp", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int ExecSearchingPath(string file, string?[] argv);
}
