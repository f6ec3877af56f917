using System.Net.Http.Headers;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Serai.Core.Model;
using Serai.Scheduling;
using Serai.Server.Auth;
using Serai.Server.Control;

namespace Serai.Server.Tests;

/// <summary>The real server in memory, on a real database (SQLite file or PostgreSQL schema), with known tokens.</summary>
public sealed class SeraiFactory : WebApplicationFactory<Program>
{
    public const string AdminToken = "serai_test_admin";
    public const string AlphaToken = "serai_test_alpha";
    public const string BetaToken = "serai_test_beta";

    private readonly string _database;
    private readonly HubModel _hub;
    private readonly ISchedulingPolicy? _scheduler;
    private readonly string _backend;
    private readonly IReadOnlyDictionary<string, string>? _settings;

    public SeraiFactory(string database, string dataDirectory, HubModel? hub = null, ISchedulingPolicy? scheduler = null, string backend = "local",
        IReadOnlyDictionary<string, string>? settings = null)
    {
        _settings = settings;
        _database = database;
        DataDirectory = dataDirectory;
        _hub = hub ?? TestHubs.Small();
        _scheduler = scheduler;
        _backend = backend;
    }

    public string DataDirectory { get; }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseSetting("Serai:Database", _database);
        builder.UseSetting("Serai:DataDirectory", DataDirectory);
        builder.UseSetting("Serai:Backend", _backend);
        builder.UseSetting("Serai:BootstrapAdminToken", AdminToken);
        builder.UseSetting("Serai:CreateTenantTokens", "false");
        builder.UseSetting("Serai:KillGraceSeconds", "1");
        builder.UseSetting("Serai:TickSeconds", "1");
        foreach (var (key, value) in _settings ?? new Dictionary<string, string>())
        {
            builder.UseSetting(key, value);
        }
        builder.ConfigureTestServices(services =>
        {
            services.RemoveAll<HubModel>();
            services.AddSingleton(_hub);
            if (_scheduler is not null)
            {
                services.RemoveAll<ISchedulingPolicy>();
                services.AddSingleton(_scheduler);
            }
        });
    }

    /// <summary>Starts the server, waits for the control loop and registers the tenant tokens (idempotently).</summary>
    public async Task<SeraiFactory> StartAsync()
    {
        _ = Server;
        await Services.GetRequiredService<ControlLoop>().Ready.WaitAsync(TimeSpan.FromSeconds(30));
        var tokens = Services.GetRequiredService<TokenStore>();
        if (tokens.Find(AlphaToken) is null)
        {
            await tokens.CreateAsync("alpha", false, "test", AlphaToken);
            await tokens.CreateAsync("beta", false, "test", BetaToken);
        }
        return this;
    }

    public HttpClient Client(string? token)
    {
        var client = CreateClient();
        if (token is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }
        return client;
    }
}
