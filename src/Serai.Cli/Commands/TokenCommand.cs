using System.CommandLine;
using Serai.Cli.Client;

namespace Serai.Cli.Commands;

/// <summary>`serai token create --tenant NAME` (or `--admin`): a new API token, shown once (admin token required).</summary>
public static class TokenCommand
{
    public static Command Create(ClientOptions options)
    {
        var tenant = new Option<string?>("--tenant") { Description = "The tenant the token acts for" };
        var admin = new Option<bool>("--admin") { Description = "Another admin token instead" };
        var create = options.Add(new Command("create", "Create an API token (admin); the secret is printed once") { tenant, admin });
        options.SetAction(create, async (parse, client, json, ct) =>
        {
            var name = parse.GetValue(tenant);
            if ((name is null) == !parse.GetValue(admin))
            {
                Console.Error.WriteLine("error: give either --tenant NAME or --admin");
                return ClientOptions.UsageError;
            }
            var token = name is null
                ? await client.PostAsync("api/v1/admin/tokens", null, ct)
                : await client.PostAsync($"api/v1/tenants/{Uri.EscapeDataString(name)}/tokens", null, ct);
            if (json)
            {
                ClientOptions.PrintJson(token);
            }
            else
            {
                Console.Out.WriteLine(ClientOptions.Text(token, "token"));
            }
            return ClientOptions.Ok;
        });
        var command = new Command("token", "Manage API tokens");
        command.Subcommands.Add(create);
        return command;
    }
}
