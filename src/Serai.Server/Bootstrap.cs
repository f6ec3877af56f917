using Serai.Server.Auth;
using Serai.Server.Control;
using Serai.Server.Leadership;
using Serai.Server.Persistence;

namespace Serai.Server;

/// <summary>Tokens created on first start; the secrets are printed once and never stored.</summary>
public sealed class BootstrapTokens
{
    public string? AdminToken { get; set; }

    public List<(string Tenant, string Token)> TenantTokens { get; } = [];
}

/// <summary>Runs before the control loop and the web server: migrations, token cache, first-start tokens.</summary>
public sealed class Bootstrap(
    SeraiDatabase database, TokenStore tokens, HubHolder hubs, BootstrapTokens created, Microsoft.Extensions.Options.IOptions<SeraiServerOptions> options, ILogger<Bootstrap> logger)
    : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await using var turn = await StartLock.TakeAsync(database, cancellationToken).ConfigureAwait(false); // servers starting together take turns
        StateFiles.Protect(options.Value.DataDirectory, database.Url);
        var ran = Migrations.Apply(database);
        StateFiles.Protect(options.Value.DataDirectory, database.Url);
        logger.LogInformation("database {Database}: {Ran} migration(s) applied, schema version {Version}", database.Url, ran, Migrations.Latest);
        tokens.Load();
        if (tokens.HasAdmin)
        {
            return;
        }
        created.AdminToken = await tokens.CreateAsync(null, true, "admin (first start)", options.Value.BootstrapAdminToken).ConfigureAwait(false);
        if (options.Value.CreateTenantTokens)
        {
            foreach (var tenant in hubs.Hub.Tenants)
            {
                created.TenantTokens.Add((tenant.Name, await tokens.CreateAsync(tenant.Name, false, $"{tenant.Name} (first start)").ConfigureAwait(false)));
            }
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
