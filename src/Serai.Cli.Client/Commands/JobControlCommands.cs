using System.CommandLine;
using Serai.Cli.Client;
using Serai.Contracts;
using Serai.Core.Model;

namespace Serai.Cli.Commands;

/// <summary>`serai hold|release|requeue ID...` and `serai update ID --priority/--time/--name` for pending jobs (as scontrol).</summary>
public static class JobControlCommands
{
    public static IEnumerable<Command> Create(ClientOptions options)
    {
        yield return Change(options, "hold", "Hold pending jobs: they are not scheduled until released");
        yield return Change(options, "release", "Release held jobs");
        yield return Change(options, "requeue", "Send running jobs back to the queue (their processes are stopped; they run again as their next attempt)");
        yield return Update(options);
    }

    private static Command Change(ClientOptions options, string verb, string description)
    {
        var ids = new Argument<string[]>("id") { Description = "Job ids", Arity = ArgumentArity.OneOrMore };
        var command = options.Add(new Command(verb, description) { ids });
        options.SetAction(command, async (parse, client, json, ct) =>
        {
            var failed = 0;
            foreach (var id in parse.GetValue(ids)!)
            {
                try
                {
                    var job = await client.PostAsync($"api/v1/jobs/{Uri.EscapeDataString(id)}/{verb}", null, ct);
                    Print(job, json, verb switch { "hold" => "held", "release" => "released", _ => "requeued" });
                }
                catch (ApiException e) when (e.Status != 0)
                {
                    Console.Error.WriteLine($"error: job {id}: {e.Message}");
                    failed++;
                }
            }
            return failed == 0 ? ClientOptions.Ok : ClientOptions.ServerError;
        });
        return command;
    }

    private static Command Update(ClientOptions options)
    {
        var id = new Argument<string>("id") { Description = "Job id" };
        var priority = new Option<string?>("--priority", "-q", "--qos") { Description = $"New priority class: {PriorityClasses.Allowed}" };
        var time = new Option<string?>("--time", "-t") { Description = $"New time limit: {TimeLimit.Formats}" };
        var name = new Option<string?>("--job-name", "-J", "--name") { Description = "New name" };
        var command = options.Add(new Command("update", "Change a pending job's priority class, time limit or name (as scontrol update)") { id, priority, time, name });
        options.SetAction(command, async (parse, client, json, ct) =>
        {
            var body = new Dictionary<string, object?> { ["priority"] = parse.GetValue(priority), ["time"] = parse.GetValue(time), ["name"] = parse.GetValue(name) }
                .Where(p => p.Value is not null).ToDictionary();
            if (body.Count == 0)
            {
                Console.Error.WriteLine("error: nothing to change; give --priority, --time or --job-name");
                return ClientOptions.UsageError;
            }
            var job = await client.SendAsync(HttpMethod.Patch, $"api/v1/jobs/{Uri.EscapeDataString(parse.GetValue(id)!)}", body, ct);
            Print(job, json, "updated");
            return ClientOptions.Ok;
        });
        return command;
    }

    private static void Print(System.Text.Json.JsonElement job, bool json, string what)
    {
        if (json)
        {
            ClientOptions.PrintJson(job);
        }
        else
        {
            Console.Out.WriteLine($"job {ClientOptions.Text(job, "id")} {what} ({ClientOptions.Text(job, "state")})");
        }
    }
}
