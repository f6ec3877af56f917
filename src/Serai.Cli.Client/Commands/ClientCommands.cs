using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Serai.Cli.Client;
using Serai.Contracts;
using Spectre.Console;

namespace Serai.Cli.Commands;

/// <summary>The tenant's commands: submit, jobs, job, cancel, logs, sites, usage (tables for people, --json for scripts).</summary>
public static class ClientCommands
{
    public const string Description = "Serai: control plane of a regional AI compute hub";

    /// <summary>
    /// Adds `completion`, the root's --hub-profile and the client commands to <paramref name="root"/>: the whole root of
    /// the native client, the part of the full CLI's that talks to a server.
    /// </summary>
    public static RootCommand AddTo(RootCommand root)
    {
        root.Subcommands.Add(CompletionCommand.Create());
        var options = new ClientOptions();
        root.Options.Add(options.Profile);
        foreach (var client in Create(options))
        {
            root.Subcommands.Add(client);
        }
        return root;
    }

    public static IEnumerable<Command> Create(ClientOptions options)
    {
        yield return SubmitCommand.Create(options);
        yield return Jobs(options);
        yield return Job(options);
        yield return Cancel(options);
        yield return JobLogsCommand.Create(options);
        yield return ClusterCommands.Sites(options);
        yield return ClusterCommands.Usage(options);
        yield return TokenCommand.Create(options);
        foreach (var change in JobControlCommands.Create(options))
        {
            yield return change;
        }
        yield return RegistryCommands.AiSystems(options);
        yield return RegistryCommands.Datasets(options);
        yield return RegistryCommands.Audit(options);
        yield return RegistryCommands.Accounting(options);
        yield return ConfigCommand.Create();
        foreach (var operation in OperationsCommands.Create(options))
        {
            yield return operation;
        }
        yield return ForecastCommands.WhatIf(options);
    }

    private static Command Jobs(ClientOptions options)
    {
        var state = new Option<string?>("--state", "-t") { Description = $"Only jobs in this state: {JobStates.Allowed}" };
        var tenant = new Option<string?>("--tenant", "--account", "-A") { Description = "Only this tenant's jobs (admin; a tenant token lists its own)" };
        var site = new Option<string?>("--site") { Description = "Only jobs placed at this site" };
        var name = new Option<string?>("--name", "-J") { Description = "Only jobs whose name starts with this" };
        var array = new Option<string?>("--array") { Description = "Only the tasks of this array (its id)" };
        var limit = new Option<int>("--limit", "-n") { Description = "At most this many jobs per page (1..1000)", DefaultValueFactory = _ => 50 };
        var before = new Option<string?>("--before") { Description = "The page after this cursor (a job id: jobs older than it)" };
        var all = new Option<bool>("--all") { Description = "Every page, not just the first" };
        var command = options.Add(new Command("jobs", "List jobs, newest first (like squeue); -o wide adds columns") { state, tenant, site, name, array, limit, before, all });
        options.SetAction(command, async (parse, client, json, ct) =>
        {
            var query = $"api/v1/jobs?limit={parse.GetValue(limit)}"
                + Query("state", parse.GetValue(state)) + Query("tenant", parse.GetValue(tenant)) + Query("site", parse.GetValue(site))
                + Query("name", parse.GetValue(name)) + Query("array", parse.GetValue(array));
            var items = new List<JsonElement>();
            var cursor = parse.GetValue(before);
            string? next;
            do
            {
                var page = await client.GetAsync(query + Query("before", cursor), ct);
                items.AddRange(page.GetProperty("items").EnumerateArray());
                next = ClientOptions.Text(page, "next") is { Length: > 0 } n ? n : null;
                cursor = next;
            }
            while (parse.GetValue(all) && next is not null);
            if (json)
            {
                ClientOptions.PrintJson(new Dictionary<string, object?> { ["items"] = items, ["next"] = next });
                return ClientOptions.Ok;
            }
            var wide = options.Wide(parse);
            var table = new Table().AddColumns("ID", "NAME", "TENANT", "STATE", "GPUS", "PRIORITY", "SUBMITTED", "WHERE / WHY");
            if (wide)
            {
                table.AddColumns("ARRAY", "TIME LIMIT", "STARTED", "ENDED", "EXIT", "DEPENDENCY", "DIRECTORY");
            }
            foreach (var job in items)
            {
                var where = ClientOptions.Text(job, "state") is "running" or "admitted" or "starting" ? $"{ClientOptions.Text(job, "site")}/{ClientOptions.Text(job, "pool")}" : ClientOptions.Text(job, "reason");
                var id = ClientOptions.Text(job, "id");
                if (ClientOptions.Text(job, "arrayJobId") is { Length: > 0 } arrayId)
                {
                    id = $"{id} ({arrayId}_{ClientOptions.Text(job, "arrayTaskId")})";
                }
                var cells = new List<string>
                {
                    id, ClientOptions.Escape(ClientOptions.Text(job, "name")), ClientOptions.Escape(ClientOptions.Text(job, "tenant")),
                    StateMarkup(ClientOptions.Text(job, "state")) + (job.TryGetProperty("held", out var h) && h.ValueKind == JsonValueKind.True ? " (held)" : ""),
                    ClientOptions.Text(job, "gpus"), ClientOptions.Text(job, "priority"), ClientOptions.Time(job, "submitUnix"), ClientOptions.Escape(where),
                };
                if (wide)
                {
                    cells.AddRange([
                        ClientOptions.Text(job, "arrayJobId"), ClientOptions.Text(job, "timeLimitSeconds") is { Length: > 0 } t ? TimeLimit.Format(long.Parse(t, CultureInfo.InvariantCulture)) : "",
                        ClientOptions.Time(job, "startedUnix"), ClientOptions.Time(job, "endedUnix"), ClientOptions.Text(job, "exitCode"),
                        ClientOptions.Escape(ClientOptions.Text(job, "dependency")), ClientOptions.Escape(ClientOptions.Text(job, "workingDirectory")),
                    ]);
                }
                table.AddRow(cells.ToArray());
            }
            ClientOptions.Write(table);
            if (next is not null && !parse.GetValue(all))
            {
                Console.Error.WriteLine($"more: --before {next} (or --all)");
            }
            return ClientOptions.Ok;
        });
        return command;
    }

    internal static string Query(string name, string? value) => value is null ? "" : $"&{name}={Uri.EscapeDataString(value)}";

    private static Command Job(ClientOptions options)
    {
        var id = new Argument<string>("id") { Description = "Job id" };
        var forecast = new Option<bool>("--forecast", "--start") { Description = "When and where the job would most likely start, and why (as squeue --start, for the whole hub)" };
        var command = options.Add(new Command("job", "Show one job: state, times, placement, reason") { id, forecast });
        options.SetAction(command, async (parse, client, json, ct) =>
        {
            if (parse.GetValue(forecast))
            {
                ForecastCommands.PrintForecast(await client.GetAsync($"api/v1/jobs/{Uri.EscapeDataString(parse.GetValue(id)!)}/forecast", ct), json);
                return ClientOptions.Ok;
            }
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
            ClientOptions.Write(grid);
            return ClientOptions.Ok;
        });
        return command;
    }

    private static Command Cancel(ClientOptions options)
    {
        var ids = new Argument<string[]>("id") { Description = "Job ids", Arity = ArgumentArity.ZeroOrMore };
        var array = new Option<string?>("--array") { Description = "Every unfinished task of this array" };
        var state = new Option<string?>("--state") { Description = "With --array or --name: only jobs in this state" };
        var name = new Option<string?>("--name", "-J") { Description = "Every unfinished job whose name starts with this" };
        var yes = new Option<bool>("--yes", "-y") { Description = "Do not ask before cancelling several jobs by a filter" };
        var command = options.Add(new Command("cancel", "Cancel jobs (pending or running; their processes are stopped), by id or by --array/--name (like scancel)")
        {
            ids, array, state, name, yes,
        });
        options.SetAction(command, async (parse, client, json, ct) =>
        {
            var targets = parse.GetValue(ids)!.ToList();
            if (parse.GetValue(array) is not null || parse.GetValue(name) is not null)
            {
                var query = "api/v1/jobs?limit=1000" + Query("array", parse.GetValue(array)) + Query("name", parse.GetValue(name)) + Query("state", parse.GetValue(state));
                var page = await client.GetAsync(query, ct);
                var found = page.GetProperty("items").EnumerateArray().Where(j => !JobStates.IsTerminal(ClientOptions.Text(j, "state"))).Select(j => ClientOptions.Text(j, "id")).ToList();
                if (found.Count > 1 && !parse.GetValue(yes))
                {
                    Console.Error.Write($"cancel {found.Count} jobs ({string.Join(", ", found.Take(10))}{(found.Count > 10 ? ", ..." : "")})? [y/N] ");
                    if (Console.In.ReadLine()?.Trim().ToLowerInvariant() is not ("y" or "yes"))
                    {
                        Console.Error.WriteLine("nothing cancelled");
                        return ClientOptions.UsageError;
                    }
                }
                targets.AddRange(found);
            }
            if (targets.Count == 0)
            {
                Console.Error.WriteLine("error: give job ids, or --array ID / --name PREFIX");
                return ClientOptions.UsageError;
            }
            var failed = 0;
            foreach (var id in targets.Distinct())
            {
                try
                {
                    var job = await client.PostAsync($"api/v1/jobs/{Uri.EscapeDataString(id)}/cancel", null, ct);
                    if (json)
                    {
                        ClientOptions.PrintJson(job);
                    }
                    else
                    {
                        Console.Out.WriteLine($"job {ClientOptions.Text(job, "id")} {ClientOptions.Text(job, "state")}");
                    }
                }
                catch (ApiException e) when (e.Status != 0 && targets.Count > 1)
                {
                    Console.Error.WriteLine($"error: job {id}: {e.Message}");
                    failed++;
                }
            }
            return failed == 0 ? ClientOptions.Ok : ClientOptions.ServerError;
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
