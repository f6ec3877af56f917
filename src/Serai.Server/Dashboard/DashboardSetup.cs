using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Options;

namespace Serai.Server.Dashboard;

/// <summary>Registers the dashboard: options, sessions, the series sampler, static files, pages and the series API.</summary>
public static class DashboardSetup
{
    public static WebApplicationBuilder AddSeraiDashboard(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.Configure<DashboardOptions>(builder.Configuration.GetSection(DashboardOptions.Section));
        services.AddSingleton(sp => sp.GetRequiredService<IOptions<DashboardOptions>>().Value);
        services.AddSingleton<DashboardSessions>();
        services.AddSingleton<SeriesStore>();
        services.AddSingleton<DashboardQueries>();
        services.AddHostedService<SeriesSampler>();
        return builder;
    }

    /// <summary>Security headers and the vendored files (wwwroot beside the assembly), before authentication.</summary>
    public static WebApplication UseSeraiDashboardFiles(this WebApplication app)
    {
        app.UseSecurityHeaders();
        var root = Path.Combine(AppContext.BaseDirectory, "wwwroot");
        if (Directory.Exists(root))
        {
            app.UseStaticFiles(new StaticFileOptions
            {
                FileProvider = new PhysicalFileProvider(root),
                OnPrepareResponse = c => c.Context.Response.Headers.CacheControl = "public, max-age=3600",
            });
        }
        return app;
    }
}
