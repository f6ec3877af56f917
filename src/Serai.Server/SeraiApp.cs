using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.Options;
using Serai.Core.Model;
using Serai.Execution.Local;
using Serai.Execution;
using Serai.Scheduling;
using Serai.Server.Apis;
using Serai.Server.Auth;
using Serai.Server.Control;
using Serai.Server.Dashboard;
using Serai.Server.Jobs;
using Serai.Server.Leadership;
using Serai.Server.Middleware;
using Serai.Server.Notifications;
using Serai.Server.Persistence;

namespace Serai.Server;

/// <summary>Composition of the server: services, middleware and the v1 endpoints. Program.cs and `serai serve` call it.</summary>
public static class SeraiApp
{
    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateBuilder(args);
        builder.AddSerai();
        configure?.Invoke(builder);
        var app = builder.Build();
        app.UseSerai();
        return app;
    }

    public static WebApplicationBuilder AddSerai(this WebApplicationBuilder builder)
    {
        if (builder.Configuration["urls"] is null && Environment.GetEnvironmentVariable("ASPNETCORE_URLS") is null)
        {
            builder.WebHost.UseUrls(SeraiServerOptions.DefaultUrls);
        }
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        builder.WebHost.ConfigureKestrel(o =>
        {
            o.Limits.MaxRequestBodySize = RequestBodyLimit.MaxBytes;
            o.AddServerHeader = false; // no product and version for a scanner to match
        });
        var services = builder.Services;
        services.Configure<SeraiServerOptions>(builder.Configuration.GetSection(SeraiServerOptions.Section));
        services.AddSingleton(sp => sp.GetRequiredService<IOptions<SeraiServerOptions>>().Value);
        services.AddSingleton(TimeProvider.System);
        services.ConfigureHttpJsonOptions(o => o.SerializerOptions.NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals);
        services.AddProblemDetails(o => o.CustomizeProblemDetails = RequestBodyLimit.Describe);
        services.AddOpenApi(o => o.UseSeraiConventions());
        services.AddAuthentication(TokenAuthenticationHandler.SchemeName)
            .AddScheme<AuthenticationSchemeOptions, TokenAuthenticationHandler>(TokenAuthenticationHandler.SchemeName, null);
        services.AddAuthorizationBuilder()
            .SetFallbackPolicy(new AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build())
            .AddPolicy(Caller.AdminPolicy, p => p.RequireRole(Caller.AdminRole));

        services.AddSingleton(sp => new SeraiDatabase(DatabaseUrl.Parse(sp.GetRequiredService<SeraiServerOptions>().Database)));
        services.AddSingleton<GroupCommitWriter>();
        services.AddSingleton<JobStore>();
        services.AddSingleton<AuditStore>();
        services.AddSingleton<UsageStore>();
        services.AddSingleton<AiSystemStore>();
        services.AddSingleton<TenantUsageStore>();
        services.AddSingleton<LoopStores>();
        services.AddSingleton<TokenStore>();
        services.AddSingleton<FailedAuthentications>();
        services.AddSingleton<BootstrapTokens>();
        services.AddSingleton(sp => new HubHolder(sp.GetService<HubModel>() ?? LoadHub(sp.GetRequiredService<SeraiServerOptions>())));
        services.AddSingleton<ISchedulingPolicy>(sp =>
        {
            var options = sp.GetRequiredService<SeraiServerOptions>();
            return new Scheduler(HubFiles.Profile(options.Hub, options.Profile));
        });
        services.AddSingleton(CreateBackends);
        services.AddSingleton(sp => new ControlLoopOptions { TickInterval = TimeSpan.FromSeconds(Math.Max(0.1, sp.GetRequiredService<SeraiServerOptions>().TickSeconds)) });
        services.AddSingleton<ControlLoop>();
        services.AddSingleton<SubmissionService>();
        services.AddHostedService<Bootstrap>();
        services.AddSingleton<ServerLeadership>(); // after the migrations; before the control loop, which waits to lead
        services.AddHostedService(sp => sp.GetRequiredService<ServerLeadership>());
        builder.AddSeraiOperations(); // before the control loop: its stored actions are replayed before the first cycle
        services.AddHostedService(sp => sp.GetRequiredService<ControlLoop>());
        services.AddSingleton(sp => NotifyPolicy.From(sp.GetRequiredService<SeraiServerOptions>()));
        services.AddSingleton<JobNotifier>(); // hooks itself into the control loop when the hosted services are built
        services.AddHostedService(sp => sp.GetRequiredService<JobNotifier>());
        builder.AddSeraiDashboard();
        return builder;
    }

    public static WebApplication UseSerai(this WebApplication app)
    {
        // a request that fails on what the client sent (a body over the limit) is the client's error, not a 500
        app.UseExceptionHandler(new ExceptionHandlerOptions { StatusCodeSelector = e => e is BadHttpRequestException bad ? bad.StatusCode : StatusCodes.Status500InternalServerError });
        app.UseStatusCodePages();
        app.UseSeraiResponseHeaders();
        app.UseStoreUnavailableAnswers();
        app.UseRequestBodyLimit();
        app.UseLeaderForwarding(); // a standby hands every request but health and metrics to the leader
        app.UseSeraiDashboardFiles();
        app.UseAuthentication();
        app.UseAuthorization();
        app.MapOpenApi().AllowAnonymous();
        var api = app.MapGroup("/api/v1");
        api.MapJobsApi().MapSitesApi().MapSeriesApi().MapTenantsApi().MapDatasetsApi().MapAiSystemsApi().MapAccountingApi().MapAuditApi();
        api.MapOperationsApi();
        app.MapOpsApi();
        app.MapDashboard();
        return app;
    }

    private static HubModel LoadHub(SeraiServerOptions options)
    {
        var hub = HubFiles.Load(options.Hub);
        if (options.Backend.Trim().Equals("local", StringComparison.OrdinalIgnoreCase) && options.DetectGpus)
        {
            hub = HubFiles.FitToLocalGpus(hub, LocalGpus.DetectAsync(CancellationToken.None).GetAwaiter().GetResult());
        }
        return hub;
    }

    private static LocalBackend CreateLocalBackend(IServiceProvider sp, SeraiServerOptions options)
    {
        var backend = new LocalBackend(new LocalBackendOptions(Path.GetFullPath(Path.Combine(options.DataDirectory, "jobs")))
        {
            KillGraceTime = TimeSpan.FromSeconds(Math.Max(0, options.KillGraceSeconds)),
            ApplyPowerLimits = options.ApplyPowerLimits,
            SwitchUser = options.RunJobsAsTenants,
            CreateAccounts = options.CreateJobAccounts,
            AccountByTenant = HubFiles.RunAs(options.Hub),
        });
        var logger = sp.GetRequiredService<ILoggerFactory>().CreateLogger("Serai.Server.LocalJobs");
        if (backend.IsolationWarning is { } warning)
        {
            logger.LogWarning("local jobs are not isolated from the server: {Warning}", warning);
        }
        else
        {
            logger.LogInformation("local jobs run as their tenants' unprivileged accounts with a clean environment");
        }
        return backend;
    }

    /// <summary>
    /// The `Backend` option names one backend kind; one instance of it serves every site of the hub, except sites whose
    /// hub config says `backend: slurm`: each of those gets its own Slurm backend.
    /// </summary>
    private static BackendRouter CreateBackends(IServiceProvider sp)
    {
        var options = sp.GetRequiredService<SeraiServerOptions>();
        IExecutionBackend backend = options.Backend.Trim().ToLowerInvariant() switch
        {
            "local" => CreateLocalBackend(sp, options),
            "none" => new NullBackend(),
            _ => throw new InvalidOperationException($"backend: '{options.Backend}' is not a backend; allowed: local, none"),
        };
        var slurm = SlurmSites.Settings(options.Hub);
        return new BackendRouter(sp.GetRequiredService<HubHolder>().Hub.Sites.Select(site => KeyValuePair.Create(site.Name,
            slurm.TryGetValue(site.Name, out var settings) && settings is Serai.Config.SlurmSiteSettings s ? SlurmSites.Create(s) : backend)));
    }
}
