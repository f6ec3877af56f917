using System.CommandLine;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Serai.Cli.Client;
using Serai.Server;
using Serai.Server.Control;
using Serai.Server.Persistence;

namespace Serai.Cli.Commands;

/// <summary>`serai serve`: runs the hub (API, control loop, local backend) on embedded defaults; prints tokens on first start.</summary>
public static class ServeCommand
{
    public static Command Create()
    {
        var hub = new Option<string>("--hub") { Description = "Hub config file", DefaultValueFactory = _ => "hubs/local.yaml" };
        var db = new Option<string>("--db") { Description = "sqlite:PATH or postgres:CONNECTION-STRING", DefaultValueFactory = _ => "sqlite:.serai/serai.db" };
        var urls = new Option<string>("--urls") { Description = "Address(es) to listen on", DefaultValueFactory = _ => SeraiServerOptions.DefaultUrls };
        var data = new Option<string>("--data-dir") { Description = "Directory for job working directories and logs", DefaultValueFactory = _ => ".serai" };
        var backend = new Option<string>("--backend") { Description = "local (processes on this machine) or none (schedule only)", DefaultValueFactory = _ => "local" };
        var profile = new Option<string?>("--profile") { Description = "Scheduler profile: a built-in (fifo, priority-fairshare, serai, sjf, slurm, srtf, las) or one of the hub file's scheduling: profiles (default: the one the file picks, else serai)" };
        var command = new Command("serve", "Run the hub: REST API, control loop and local backend (SQLite under ./.serai by default)")
        {
            hub, db, urls, data, backend, profile,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var hubPath = parse.GetValue(hub)!;
            try
            {
                _ = DatabaseUrl.Parse(parse.GetValue(db)!);
            }
            catch (ArgumentException e)
            {
                Console.Error.WriteLine($"error: --db: {e.Message}");
                return ClientOptions.UsageError;
            }
            if (!File.Exists(hubPath))
            {
                Console.Error.WriteLine($"error: --hub: '{hubPath}' does not exist; give a hub config file (e.g. hubs/local.yaml)");
                return ClientOptions.UsageError;
            }
            string[] args =
            [
                "--urls", parse.GetValue(urls)!, "--Serai:Hub", hubPath, "--Serai:Database", parse.GetValue(db)!,
                "--Serai:DataDirectory", parse.GetValue(data)!, "--Serai:Backend", parse.GetValue(backend)!, "--Serai:Profile", parse.GetValue(profile) ?? "",
                "--Serai:RefuseSecondSqliteServer", "true", // two servers on one SQLite file would both run the hub's jobs
            ];
            var app = SeraiApp.Build(args);
            try
            {
                await app.StartAsync(cancellationToken);
            }
            catch (Exception e) when (e is InvalidOperationException or IOException or ArgumentException or System.Data.Common.DbException)
            {
                // a bad hub file, an address in use, an unreachable database: say what, without a stack trace
                Console.Error.WriteLine($"error: {e.Message}");
                return ClientOptions.ServerError;
            }
            Announce(app, parse.GetValue(db)!);
            await app.WaitForShutdownAsync(cancellationToken);
            // a leader that lost its lock stops itself: a failure, so that a supervisor starts it again (as a standby)
            return app.Services.GetRequiredService<Serai.Server.Leadership.ServerLeadership>().LostLeadership ? ClientOptions.ServerError : ClientOptions.Ok;
        });
        return command;
    }

    private static void Announce(WebApplication app, string db)
    {
        var url = app.Urls.FirstOrDefault() ?? SeraiServerOptions.DefaultUrls;
        var hub = app.Services.GetRequiredService<HubHolder>().Hub;
        Console.Out.WriteLine($"Serai is running at {url}");
        Console.Out.WriteLine($"  dashboard {url}/ (sign in with a token below)");
        Console.Out.WriteLine($"  hub {hub.Name}: {hub.Sites.Length} site(s), {hub.TotalGpus} GPUs; database {db}; backend {app.Services.GetRequiredService<SeraiServerOptions>().Backend}");
        Console.Out.WriteLine($"  API {url}/api/v1, OpenAPI {url}/openapi/v1.json, health {url}/healthz, metrics {url}/metrics");
        var tokens = app.Services.GetRequiredService<BootstrapTokens>();
        if (tokens.AdminToken is null)
        {
            Console.Out.WriteLine($"  tokens were created on first start (the admin's is in {ClientConfig.DefaultPath})");
            return;
        }
        Console.Out.WriteLine("First start: API tokens (shown once, stored only as hashes):");
        Console.Out.WriteLine($"  admin: {tokens.AdminToken}");
        foreach (var (tenant, token) in tokens.TenantTokens)
        {
            Console.Out.WriteLine($"  tenant {tenant}: {token}");
        }
        // a second hub on this machine adds its own profile; the one in use stays in use
        var file = ProfileFile.Read(ClientConfig.DefaultPath);
        var before = file.Current;
        var name = file.Add(hub.Name, new HubProfile(url, tokens.AdminToken));
        file.Write(ClientConfig.DefaultPath);
        Console.Out.WriteLine(before is null || before == name
            ? $"Saved the address and the admin token to {ClientConfig.DefaultPath} as CLI profile '{name}' (in use)."
            : $"Saved the address and the admin token to {ClientConfig.DefaultPath} as CLI profile '{name}'; the CLI still uses '{before}' (switch with `serai config use {name}`, or give --hub-profile {name}).");
        Console.Out.Flush();
    }
}
