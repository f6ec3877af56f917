using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Serai.Cli.Client;
using Serai.Server.Jobs;
using Spectre.Console;

namespace Serai.Cli.Commands;

/// <summary>The tenant's commands: submit, jobs, job, cancel, logs, sites, usage (tables for people, --json for scripts).</summary>
public static class ClientCommands
{
    public static IEnumerable<Command> Create()
    {
        var options = new ClientOptions();
        yield return SubmitCommand.Create(options);
        yield return Jobs(options);
        yield return Job(options);
        yield return Cancel(options);
        yield return JobLogsCommand.Create(options);
        yield return ClusterCommands.Sites(options);
        yield return ClusterCommands.Usage(options);
        yield return TokenCommand.Create(options);
    }

    private static Command Jobs(ClientOptions options)
    {
        var state = new Option<string?>("--state") { Description = $"Only jobs in this state: {JobStates.Allowed}" };
        var tenant = new Option<string?>("--tenant") { Description = "Only this tenant's jobs (admin)" };
        var limit = new Option<int>("--limit", "-n") { Description = "At most this many jobs (1..1000)", DefaultValueFactory = _ => 50 };
        var command = options.Add(new Command("jobs", "List jobs, newest first (like squeue)") { state, tenant, limit });
        options.SetAction(command, async (parse, client, json, ct) =>
        {
            var query = $"api/v1/jobs?limit={parse.GetValue(limit)}"
                + (parse.GetValue(state) is { } s ? $"&state={Uri.EscapeDataString(s)}" : "")
                + (parse.GetValue(tenant) is { } t ? $"&tenant={Uri.EscapeDataString(t)}" : "");
            var page = await client.GetAsync(query, ct);
            if (json)
            {
                ClientOptions.PrintJson(page);
                return ClientOptions.Ok;
            }
            var table = new Table().AddColumns("ID", "NAME", "TENANT", "STATE", "GPUS", "PRIORITY", "SUBMITTED", "WHERE / WHY");
            foreach (var job in page.GetProperty("items").EnumerateArray())
            {
                var where = ClientOptions.Text(job, "state") is "running" or "admitted" ? $"{ClientOptions.Text(job, "site")}/{ClientOptions.Text(job, "pool")}" : ClientOptions.Text(job, "reason");
                table.AddRow(ClientOptions.Text(job, "id"), ClientOptions.Escape(ClientOptions.Text(job, "name")), ClientOptions.Escape(ClientOptions.Text(job, "tenant")),
                    StateMarkup(ClientOptions.Text(job, "state")), ClientOptions.Text(job, "gpus"), ClientOptions.Text(job, "priority"),
                    ClientOptions.Time(job, "submitUnix"), ClientOptions.Escape(where));
            }
            AnsiConsole.Write(table);
            return ClientOptions.Ok;
        });
        return command;
    }

    private static Command Job(ClientOptions options)
    {
        var id = new Argument<string>("id") { Description = "Job id" };
        var command = options.Add(new Command("job", "Show one job: state, times, placement, reason") { id });
        options.SetAction(command, async (parse, client, json, ct) =>
        {
            var job = await client.GetAsync($"api/v1/jobs/{Uri.EscapeDataString(parse.GetValue(id)!)}", ct);
            if (json)
            {
                ClientOptions.PrintJson(job);
                return ClientOptions.Ok;
            }
            var grid = new Grid().AddColumn().AddColumn();
            foreach (var property in job.EnumerateObject())
            {
                var value = property.Name.EndsWith("Unix", StringComparison.Ordinal) ? ClientOptions.Time(job, property.Name) : ClientOptions.Text(job, property.Name);
                if (value.Length > 0)
                {
                    grid.AddRow($"[grey]{property.Name}[/]", ClientOptions.Escape(value));
                }
            }
            AnsiConsole.Write(grid);
            return ClientOptions.Ok;
        });
        return command;
    }

    private static Command Cancel(ClientOptions options)
    {
        var id = new Argument<string>("id") { Description = "Job id" };
        var command = options.Add(new Command("cancel", "Cancel a pending or running job; its processes are stopped (like scancel)") { id });
        options.SetAction(command, async (parse, client, json, ct) =>
        {
            var job = await client.PostAsync($"api/v1/jobs/{Uri.EscapeDataString(parse.GetValue(id)!)}/cancel", null, ct);
            if (json)
            {
                ClientOptions.PrintJson(job);
            }
            else
            {
                Console.Out.WriteLine($"job {ClientOptions.Text(job, "id")} {ClientOptions.Text(job, "state")}");
            }
            return ClientOptions.Ok;
        });
        return command;
    }

    internal static string StateMarkup(string state) => state switch
    {
        "running" => "[green]running[/]",
        "succeeded" => "[blue]succeeded[/]",
        "failed" => "[red]failed[/]",
        "cancelled" => "[grey]cancelled[/]",
        _ => ClientOptions.Escape(state),
    };

    internal static string Number(double value, string format) => value.ToString(format, CultureInfo.InvariantCulture);

    internal static double Double(JsonElement e, string name) => e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number ? v.GetDouble() : 0;
}
