using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;

namespace Serai.Server.Tests;

/// <summary>A real `serai serve` process (the CLI built next to these tests), for crash tests.</summary>
public sealed class ServeProcess : IDisposable
{
    public const string AdminToken = "serai_crash_admin";
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private ServeProcess(Process process, string url)
    {
        _process = process;
        Url = url;
        process.OutputDataReceived += (_, e) => Append(e.Data);
        process.ErrorDataReceived += (_, e) => Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public string Url { get; }

    /// <summary>The server's process id (to read its memory from /proc).</summary>
    public int ProcessId => _process.Id;

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

    public static string RepositoryRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Serai.slnx")))
        {
            dir = dir.Parent;
        }
        return dir?.FullName ?? throw new InvalidOperationException("cannot find the repository root (Serai.slnx) above " + AppContext.BaseDirectory);
    }

    /// <summary>serai.dll of the same configuration as this test assembly.</summary>
    public static string SeraiDll()
    {
        var configuration = new DirectoryInfo(AppContext.BaseDirectory).Parent!.Name; // .../bin/{Configuration}/net10.0/
        var dll = Path.Combine(RepositoryRoot(), "src", "Serai.Cli", "bin", configuration, "net10.0", "serai.dll");
        return File.Exists(dll) ? dll : throw new InvalidOperationException($"{dll} is missing: build src/Serai.Cli first");
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>Starts `serai serve` on loopback; <paramref name="database"/> is a `sqlite:` or `postgres:` URL (default: DIRECTORY/serai.db).</summary>
    public static async Task<ServeProcess> StartAsync(string directory, int port, string backend = "none", IReadOnlyDictionary<string, string>? environment = null,
        string? database = null)
    {
        var url = $"http://127.0.0.1:{port}";
        var start = new ProcessStartInfo("dotnet") { WorkingDirectory = directory, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in (string[])[SeraiDll(), "serve", "--hub", Path.Combine(RepositoryRoot(), "hubs", "local.yaml"),
            "--db", database ?? $"sqlite:{Path.Combine(directory, "serai.db")}", "--data-dir", directory, "--urls", url, "--backend", backend])
        {
            start.ArgumentList.Add(arg);
        }
        start.Environment["Serai__BootstrapAdminToken"] = AdminToken;
        start.Environment["XDG_CONFIG_HOME"] = Path.Combine(directory, "config");
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }
        var serve = new ServeProcess(Process.Start(start)!, url);
        using var probe = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                if ((await probe.GetAsync($"{url}/healthz")).IsSuccessStatusCode)
                {
                    return serve;
                }
            }
            catch (HttpRequestException)
            {
            }
            catch (TaskCanceledException)
            {
            }
            if (serve._process.HasExited)
            {
                break;
            }
            await Task.Delay(100);
        }
        throw new InvalidOperationException($"serai serve did not become healthy:\n{serve.Output}");
    }

    /// <summary>Runs the CLI (`dotnet serai.dll ARGS --url URL --token ADMIN`) and returns its exit code and output.</summary>
    public async Task<(int Code, string Stdout, string Stderr)> CliAsync(params string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(SeraiDll());
        var split = Array.IndexOf(args, "--");
        var options = split < 0 ? args : args[..split];
        var command = split < 0 ? [] : args[split..];
        foreach (var arg in options.Concat(["--url", Url, "--token", AdminToken]).Concat(command))
        {
            start.ArgumentList.Add(arg);
        }
        start.Environment["XDG_CONFIG_HOME"] = Path.Combine(Path.GetTempPath(), "serai-cli-test-config");
        using var cli = Process.Start(start)!;
        var stdout = cli.StandardOutput.ReadToEndAsync();
        var stderr = cli.StandardError.ReadToEndAsync();
        await cli.WaitForExitAsync();
        return (cli.ExitCode, await stdout, await stderr);
    }

    public HttpClient Client()
    {
        var client = new HttpClient { BaseAddress = new Uri(Url), Timeout = TimeSpan.FromSeconds(10) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", AdminToken);
        return client;
    }

    /// <summary>The exit status once the server has ended by itself, or null when it still runs after <paramref name="within"/>.</summary>
    public int? ExitedWithin(TimeSpan within)
    {
        if (!_process.WaitForExit(within))
        {
            return null;
        }
        _process.WaitForExit(); // with a timeout it does not wait for the output readers: this lets them read the last lines
        return _process.ExitCode;
    }

    /// <summary>SIGKILL: no shutdown code runs. Returns the exit status (128 + 9 when the signal, not an exit, ended it).</summary>
    public int Kill()
    {
        _process.Kill(entireProcessTree: false);
        _process.WaitForExit();
        return _process.ExitCode;
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
            _process.WaitForExit();
        }
        _process.Dispose();
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
