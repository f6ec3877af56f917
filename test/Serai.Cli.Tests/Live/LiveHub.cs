using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;

namespace Serai.Cli.Tests.Live;

/// <summary>
/// A real `serai serve` (the serai.dll built beside these tests) with the local backend on a one-node hub of 32 GPUs,
/// shared by the tests of the live collection; the CLI runs in process against it, as a user's shell would run it.
/// </summary>
public sealed class LiveHub : IAsyncLifetime
{
    public const string AdminToken = "serai_cli_live_admin";
    private readonly StringBuilder _output = new();
    private Process? _process;

    public string Directory { get; } = Path.Combine(Path.GetTempPath(), "serai-cli-live-" + Guid.NewGuid().ToString("N")[..8]);

    public string Url { get; private set; } = "";

    public string Database => Path.Combine(Directory, "serai.db");

    public async Task InitializeAsync()
    {
        System.IO.Directory.CreateDirectory(Directory);
        var hub = File.ReadAllText(CliRun.Repo("hubs", "local.yaml"))
            .Replace("gpusPerNode: 4", "gpusPerNode: 32", StringComparison.Ordinal)
            .Replace("gridMw: 0.01 ", "gridMw: 1 ", StringComparison.Ordinal)
            .Replace("itCapMw: 0.008", "itCapMw: 0.8", StringComparison.Ordinal);
        var hubPath = Path.Combine(Directory, "hub.yaml");
        File.WriteAllText(hubPath, hub);
        var port = FreePort();
        Url = $"http://127.0.0.1:{port}";
        var start = new ProcessStartInfo("dotnet") { WorkingDirectory = Directory, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in (string[])[Path.Combine(AppContext.BaseDirectory, "serai.dll"), "serve", "--hub", hubPath, "--db", $"sqlite:{Database}",
            "--data-dir", Path.Combine(Directory, "data"), "--urls", Url, "--backend", "local"])
        {
            start.ArgumentList.Add(arg);
        }
        start.Environment["Serai__BootstrapAdminToken"] = AdminToken;
        start.Environment["Serai__TickSeconds"] = "1";
        start.Environment["XDG_CONFIG_HOME"] = Path.Combine(Directory, "server-config");
        _process = Process.Start(start)!;
        _process.OutputDataReceived += (_, e) => Append(e.Data);
        _process.ErrorDataReceived += (_, e) => Append(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        using var probe = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var deadline = DateTime.UtcNow.AddSeconds(90);
        while (DateTime.UtcNow < deadline && !_process.HasExited)
        {
            try
            {
                if ((await probe.GetAsync($"{Url}/healthz")).IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                // not listening yet
            }
            await Task.Delay(200);
        }
        throw new InvalidOperationException($"serai serve did not become healthy:\n{Output}");
    }

    public Task DisposeAsync()
    {
        if (_process is { HasExited: false })
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit();
        }
        _process?.Dispose();
        return Task.CompletedTask;
    }

    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    /// <summary>`serai ARGS` in process against this hub, with the admin token unless the arguments give one.</summary>
    public (int Code, string Out, string Error) Cli(params string[] args)
    {
        var split = Array.IndexOf(args, "--");
        var before = split < 0 ? args : args[..split];
        var after = split < 0 ? [] : args[split..];
        var connection = before.Contains("--token") ? ["--url", Url] : (string[])["--url", Url, "--token", AdminToken];
        return CliRun.Invoke([.. before, .. connection, .. after]);
    }

    /// <summary>`serai ARGS --json`, parsed; fails the test when the command fails.</summary>
    public JsonElement Json(params string[] args)
    {
        var (code, output, error) = Cli([.. args, "--json"]);
        Assert.True(code == 0, $"serai {string.Join(' ', args)}: exit {code}: {error}");
        return JsonDocument.Parse(output).RootElement.Clone();
    }

    public JsonElement Job(string id) => Json("job", id);

    /// <summary>Submits and returns the job id from `Submitted job ID`.</summary>
    public string Submit(params string[] args)
    {
        var (code, output, error) = Cli(["submit", .. args]);
        Assert.True(code == 0, $"serai submit {string.Join(' ', args)}: exit {code}: {error}\n{Output}");
        var id = System.Text.RegularExpressions.Regex.Match(output, @"job (\d+)");
        Assert.True(id.Success, $"serai submit printed no job id: {output}");
        return id.Groups[1].Value;
    }

    /// <summary>Polls until <paramref name="done"/> holds; fails the test at the deadline.</summary>
    public static async Task WaitUntilAsync(Func<bool> done, TimeSpan timeout, string what)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!done())
        {
            Assert.True(DateTime.UtcNow < deadline, $"timed out after {timeout.TotalSeconds:F0} s waiting until {what}");
            await Task.Delay(200);
        }
    }

    public string State(string id) => Job(id).GetProperty("state").GetString()!;

    public string NewWorkDirectory()
    {
        var path = Path.Combine(Directory, "work-" + Guid.NewGuid().ToString("N")[..8]);
        System.IO.Directory.CreateDirectory(path);
        if (!OperatingSystem.IsWindows())
        {
            // jobs run as their tenant's account (serai-TENANT) when the server may switch users: a user's directory is theirs to write
            File.SetUnixFileMode(path, (UnixFileMode)0x1FF);
        }
        return path;
    }

    internal static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private void Append(string? line)
    {
        if (line is not null)
        {
            lock (_output)
            {
                _output.AppendLine(line);
            }
        }
    }
}

[CollectionDefinition(Name)]
public sealed class LiveHubCollection : ICollectionFixture<LiveHub>
{
    public const string Name = "live hub";
}
