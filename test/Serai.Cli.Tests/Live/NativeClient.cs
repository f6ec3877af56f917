using System.Diagnostics;
using System.Runtime.InteropServices;

namespace Serai.Cli.Tests.Live;

/// <summary>
/// The native client (src/Serai.Cli.Native) published once with Native AOT for the tests that run it: the one publish
/// of the test run (1 to 3 minutes; it needs clang and zlib1g-dev, which scripts/test.sh installs).
/// </summary>
public sealed class NativeClient : IAsyncLifetime
{
    public string Directory { get; } = Path.Combine(Path.GetTempPath(), "serai-native-" + Guid.NewGuid().ToString("N")[..8]);

    public string Executable => Path.Combine(Directory, "serai");

    /// <summary>The full CLI the tests hand commands to: the serai built beside these tests.</summary>
    public static string FullCli => Path.Combine(AppContext.BaseDirectory, "serai");

    public string PublishOutput { get; private set; } = "";

    public async Task InitializeAsync()
    {
        // the configuration the tests were built in (bin/CONFIGURATION/net10.0/), so the libraries are already built
        var configuration = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar)).Parent!.Name;
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in (string[])["publish", CliRun.Repo("src", "Serai.Cli.Native", "Serai.Cli.Native.csproj"), "-c", configuration,
            "-r", RuntimeInformation.RuntimeIdentifier, "-o", Directory, "-nologo"])
        {
            start.ArgumentList.Add(arg);
        }
        using var publish = Process.Start(start)!;
        var error = publish.StandardError.ReadToEndAsync();
        var output = await publish.StandardOutput.ReadToEndAsync();
        await publish.WaitForExitAsync();
        PublishOutput = output + await error;
        Assert.True(publish.ExitCode == 0 && File.Exists(Executable),
            $"dotnet publish of the native client failed (exit {publish.ExitCode}; Native AOT needs clang and zlib1g-dev):\n{PublishOutput}");
    }

    public Task DisposeAsync()
    {
        System.IO.Directory.Delete(Directory, recursive: true);
        return Task.CompletedTask;
    }

    /// <summary>Runs the native `serai ARGS` with <paramref name="environment"/> added to this process's.</summary>
    public (int Code, string Out, string Error) Run(IReadOnlyDictionary<string, string?> environment, params string[] args)
    {
        var start = new ProcessStartInfo(Executable) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }
        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }
        using var process = Process.Start(start)!;
        var error = process.StandardError.ReadToEndAsync();
        var output = process.StandardOutput.ReadToEnd();
        Assert.True(process.WaitForExit(60_000), $"serai {string.Join(' ', args)} did not finish");
        return (process.ExitCode, output, error.Result);
    }
}
