using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Serai.Server;
using Serai.Server.Auth;
using Serai.Server.Control;

namespace Serai.Dashboard.Tests;

/// <summary>The real server (SeraiApp, as `serai serve` builds it) on a real Kestrel port, on a SQLite file, with known tokens.</summary>
public sealed class DashboardHost : IAsyncDisposable
{
    public const string AdminToken = "serai_dash_admin";

    private readonly WebApplication _app;

    private DashboardHost(WebApplication app, string address, string directory)
    {
        _app = app;
        Address = address;
        Directory = directory;
    }

    public string Address { get; }
    public string Directory { get; }
    public IServiceProvider Services => _app.Services;

    /// <summary>The repository root (where Serai.slnx is).</summary>
    public static string RepoRoot
    {
        get
        {
            var dir = new DirectoryInfo(AppContext.BaseDirectory);
            while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Serai.slnx")))
            {
                dir = dir.Parent;
            }
            return dir?.FullName ?? throw new InvalidOperationException("Serai.slnx not found above the test binaries");
        }
    }

    public static string NewDirectory()
    {
        var path = Path.Combine(Path.GetTempPath(), "serai-dash-" + Guid.NewGuid().ToString("N")[..12]);
        System.IO.Directory.CreateDirectory(path);
        return path;
    }

    /// <summary>Starts a server on a free port; tenant tokens are "serai_dash_TENANT".</summary>
    public static async Task<DashboardHost> StartAsync(string hubFile, string backend = "local", string? directory = null, double sampleSeconds = 1)
    {
        directory ??= NewDirectory();
        var app = SeraiApp.Build([
            "--urls", "http://127.0.0.1:0",
            $"--Serai:Database=sqlite:{Path.Combine(directory, "serai.db")}",
            $"--Serai:DataDirectory={directory}",
            $"--Serai:Hub={hubFile}",
            $"--Serai:Backend={backend}",
            "--Serai:DetectGpus=false",
            $"--Serai:BootstrapAdminToken={AdminToken}",
            "--Serai:CreateTenantTokens=false",
            "--Serai:TickSeconds=1",
            "--Serai:KillGraceSeconds=1",
            $"--Serai:Dashboard:SampleSeconds={sampleSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture)}",
        ]);
        await app.StartAsync();
        await app.Services.GetRequiredService<ControlLoop>().Ready.WaitAsync(TimeSpan.FromSeconds(60));
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        var tokens = app.Services.GetRequiredService<TokenStore>();
        foreach (var tenant in app.Services.GetRequiredService<HubHolder>().Hub.Tenants)
        {
            if (tokens.Find(TenantToken(tenant.Name)) is null)
            {
                await tokens.CreateAsync(tenant.Name, false, "test", TenantToken(tenant.Name));
            }
        }
        return new DashboardHost(app, address, directory);
    }

    public static string TenantToken(string tenant) => "serai_dash_" + tenant;

    public HttpClient Client(string? token)
    {
        var client = new HttpClient { BaseAddress = new Uri(Address), Timeout = TimeSpan.FromSeconds(60) };
        if (token is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }
        return client;
    }

    /// <summary>Submits a shell command as a job; returns its id.</summary>
    public async Task<long> SubmitAsync(string token, string script, int gpus, string? name = null)
    {
        using var client = Client(token);
        var response = await client.PostAsJsonAsync("/api/v1/jobs", new { command = (string[])["sh", "-c", script], gpus, name });
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, text);
        return JsonDocument.Parse(text).RootElement.GetProperty("id").GetInt64();
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
