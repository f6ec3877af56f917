using System.CommandLine;
using Serai.Cli.Client;
using Serai.Core.Model;
using Serai.Server.Jobs;

namespace Serai.Cli.Commands;

/// <summary>`serai submit --gpus 8 --time 2:00:00 [...] -- COMMAND...`: submit a job with flags familiar from sbatch.</summary>
public static class SubmitCommand
{
    public static Command Create(ClientOptions options)
    {
        var gpus = new Option<int>("--gpus", "-G") { Description = "GPUs for the job (a gang: all start together)", Required = true };
        var time = new Option<string?>("--time", "-t") { Description = $"Time limit: {TimeLimit.Formats}" };
        var name = new Option<string?>("--job-name", "-J", "--name") { Description = "A name for the job" };
        var tenant = new Option<string?>("--tenant", "--account", "-A") { Description = "Tenant (admin token only; a tenant token submits as itself)" };
        var priority = new Option<string?>("--priority", "-q", "--qos") { Description = $"Priority class: {PriorityClasses.Allowed}" };
        var dataset = new Option<string[]>("--dataset") { Description = "A dataset the job reads (repeat for several)", AllowMultipleArgumentsPerToken = true };
        var perNode = new Option<int?>("--gpus-per-node") { Description = "GPUs on each node (multi-node gangs)" };
        var deadline = new Option<string?>("--deadline") { Description = "Latest end, ISO 8601 (e.g. 2026-12-01T18:00:00Z)" };
        var deferrable = new Option<bool>("--deferrable") { Description = "May wait for cleaner or cheaper hours within its deadline" };
        var checkpointable = new Option<bool>("--checkpointable") { Description = "Saves its progress; preempted first, resumes later" };
        var aiSystem = new Option<string?>("--ai-system") { Description = "Registered AI system the job runs" };
        var stack = new Option<string[]>("--stack") { Description = "Software stacks the job runs on (cuda, rocm, cann, ...)", AllowMultipleArgumentsPerToken = true };
        var accelerator = new Option<string?>("--accelerator") { Description = "Only this accelerator model" };
        var key = new Option<string?>("--idempotency-key") { Description = "Client key: the same key submits the same job once" };
        var argv = new Argument<string[]>("command") { Description = "The command to run, after --", Arity = ArgumentArity.OneOrMore };
        var command = options.Add(new Command("submit", "Submit a job: serai submit --gpus 8 --time 2:00:00 -- python train.py")
        {
            gpus, time, name, tenant, priority, dataset, perNode, deadline, deferrable, checkpointable, aiSystem, stack, accelerator, key, argv,
        });
        options.SetAction(command, async (parse, client, json, ct) =>
        {
            var limit = parse.GetValue(time);
            if (limit is not null && TimeLimit.Parse(limit) is null)
            {
                Console.Error.WriteLine($"error: --time: '{limit}' is not a time limit; allowed formats: {TimeLimit.Formats}");
                return ClientOptions.UsageError;
            }
            var body = new Dictionary<string, object?>
            {
                ["command"] = parse.GetValue(argv),
                ["gpus"] = parse.GetValue(gpus),
                ["time"] = limit,
                ["name"] = parse.GetValue(name),
                ["tenant"] = parse.GetValue(tenant),
                ["priority"] = parse.GetValue(priority),
                ["datasets"] = NullIfEmpty(parse.GetValue(dataset)),
                ["gpusPerNode"] = parse.GetValue(perNode),
                ["deadline"] = parse.GetValue(deadline),
                ["deferrable"] = parse.GetValue(deferrable) ? true : null,
                ["checkpointable"] = parse.GetValue(checkpointable) ? true : null,
                ["aiSystem"] = parse.GetValue(aiSystem),
                ["stacks"] = NullIfEmpty(parse.GetValue(stack)),
                ["accelerator"] = parse.GetValue(accelerator),
            };
            var job = await client.PostAsync("api/v1/jobs", body.Where(p => p.Value is not null).ToDictionary(), ct, parse.GetValue(key));
            if (json)
            {
                ClientOptions.PrintJson(job);
            }
            else
            {
                Console.Out.WriteLine($"Submitted job {ClientOptions.Text(job, "id")}");
            }
            return ClientOptions.Ok;
        });
        return command;
    }

    private static string[]? NullIfEmpty(string[]? values) => values is { Length: > 0 } ? values : null;
}
