using System.CommandLine;
using Serai.Cli.Client;
using Spectre.Console;

namespace Serai.Cli.Commands;

/// <summary>`serai token list|create|revoke`: API tokens; a secret is printed once, a revoked token stops working within a second.</summary>
public static class TokenCommand
{
    public static Command Create(ClientOptions options)
    {
        var command = new Command("token", "Manage API tokens: list, create (admin), revoke");
        command.Subcommands.Add(List(options));
        command.Subcommands.Add(New(options));
        command.Subcommands.Add(Revoke(options));
        return command;
    }

    private static Command List(ClientOptions options)
    {
        var command = options.Add(new Command("list", "API tokens: id, owner, label, created, expiry, revoked (never the secrets)"));
        options.SetAction(command, async (parse, client, json, ct) =>
        {
            var tokens = await client.GetAsync("api/v1/tokens", ct);
            if (json)
            {
                ClientOptions.PrintJson(tokens);
                return ClientOptions.Ok;
            }
            var table = new Table().AddColumns("ID", "OWNER", "LABEL", "CREATED", "EXPIRES", "REVOKED");
            foreach (var t in tokens.EnumerateArray())
            {
                var owner = t.GetProperty("admin").GetBoolean() ? "admin" : ClientOptions.Text(t, "tenant");
                table.AddRow(ClientOptions.Text(t, "id"), ClientOptions.Escape(owner), ClientOptions.Escape(ClientOptions.Text(t, "label")),
                    ClientOptions.Time(t, "createdUnix"), ClientOptions.Time(t, "expiresUnix") is { Length: > 0 } e ? e : "never", ClientOptions.Time(t, "revokedUnix"));
            }
            ClientOptions.Write(table);
            return ClientOptions.Ok;
        });
        return command;
    }

    private static Command New(ClientOptions options)
    {
        var tenant = new Option<string?>("--tenant") { Description = "The tenant the token acts for" };
        var admin = new Option<bool>("--admin") { Description = "Another admin token instead" };
        var label = new Option<string?>("--label") { Description = "What the token is for (shown in the list)" };
        var expires = new Option<string?>("--expires") { Description = "Expiry: 30d, 12h or an ISO 8601 date and time (default: never)" };
        var create = options.Add(new Command("create", "Create an API token (admin); the secret is printed once") { tenant, admin, label, expires });
        options.SetAction(create, async (parse, client, json, ct) =>
        {
            var name = parse.GetValue(tenant);
            if ((name is null) == !parse.GetValue(admin))
            {
                Console.Error.WriteLine("error: give either --tenant NAME or --admin");
                return ClientOptions.UsageError;
            }
            var body = new Dictionary<string, object?> { ["tenant"] = name, ["admin"] = parse.GetValue(admin) ? true : null, ["label"] = parse.GetValue(label), ["expires"] = parse.GetValue(expires) }
                .Where(p => p.Value is not null).ToDictionary();
            var token = await client.PostAsync("api/v1/tokens", body, ct);
            if (json)
            {
                ClientOptions.PrintJson(token);
            }
            else
            {
                Console.Out.WriteLine(ClientOptions.Text(token, "token"));
                Console.Error.WriteLine($"token id {ClientOptions.Text(token, "id")} (for `serai token revoke`); the secret above is not shown again");
            }
            return ClientOptions.Ok;
        });
        return create;
    }

    private static Command Revoke(ClientOptions options)
    {
        var id = new Argument<string>("id") { Description = "Token id, as `serai token list` shows it" };
        var command = options.Add(new Command("revoke", "Revoke a token: it stops working within a second on every server") { id });
        options.SetAction(command, async (parse, client, json, ct) =>
        {
            var token = await client.SendAsync(HttpMethod.Delete, $"api/v1/tokens/{Uri.EscapeDataString(parse.GetValue(id)!)}", null, ct);
            if (json)
            {
                ClientOptions.PrintJson(token);
            }
            else
            {
                Console.Out.WriteLine($"token {ClientOptions.Text(token, "id")} revoked");
            }
            return ClientOptions.Ok;
        });
        return command;
    }
}
