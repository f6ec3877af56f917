using System.CommandLine;
using System.CommandLine.Parsing;
using Serai.Cli.Client;
using Serai.Contracts;
using Serai.Core.Model;

namespace Serai.Cli.Commands;

/// <summary>
/// `serai submit --gpus 8 --time 2:00:00 [...] -- COMMAND...`: submit a job with flags familiar from sbatch. A batch
/// script may carry the flags itself in `#SERAI` lines at its top (as `#SBATCH`); flags on the command line win.
/// </summary>
public static class SubmitCommand
{
    public static Command Create(ClientOptions options)
    {
        var gpus = new Option<int?>("--gpus", "-G") { Description = "GPUs for the job (a gang: all start together); required here or in a #SERAI line" };
        var time = new Option<string?>("--time", "-t") { Description = $"Time limit: {TimeLimit.Formats}" };
        var name = new Option<string?>("--job-name", "-J", "--name") { Description = "A name for the job (SERAI_JOB_NAME)" };
        var tenant = new Option<string?>("--tenant", "--account", "-A") { Description = "Tenant (admin token only; default: the hub's 'default' tenant; a tenant token submits as itself)" };
        var priority = new Option<string?>("--priority", "-q", "--qos") { Description = $"Priority class: {PriorityClasses.Allowed}" };
        var dataset = new Option<string[]>("--dataset") { Description = "A dataset the job reads (repeat for several)", AllowMultipleArgumentsPerToken = true };
        var perNode = new Option<int?>("--gpus-per-node") { Description = "GPUs on each node (multi-node gangs)" };
        var deadline = new Option<string?>("--deadline") { Description = "Latest end, ISO 8601 (e.g. 2026-12-01T18:00:00Z)" };
        var deferrable = new Option<bool>("--deferrable") { Description = "May wait for cleaner or cheaper hours within its deadline" };
        var checkpointable = new Option<bool>("--checkpointable") { Description = "Saves its progress; preempted first, resumes later" };
        var aiSystem = new Option<string?>("--ai-system") { Description = "Registered AI system the job runs" };
        var stack = new Option<string[]>("--stack") { Description = "Software stacks the job runs on (cuda, rocm, cann, ...)", AllowMultipleArgumentsPerToken = true };
        var accelerator = new Option<string?>("--accelerator") { Description = "Only this accelerator model (any spelling: 'Ascend 910B', ascend910b)" };
        var key = new Option<string?>("--idempotency-key") { Description = "Client key: the same key submits the same job once" };
        var chdir = new Option<string?>("--chdir", "-D") { Description = "Working directory of the job (default: this directory, when the server's backend shares it)" };
        var export = new Option<string?>("--export") { Description = "Environment the job gets: ALL (default: yours), NONE, or NAME[=VALUE],... (ALL,NAME=VALUE adds to yours)" };
        var hold = new Option<bool>("--hold", "-H") { Description = "Submit held: it is not scheduled until `serai release ID`" };
        var array = new Option<string?>("--array", "-a") { Description = $"A job array, one task per index (SERAI_ARRAY_TASK_ID): {JobArray.Formats}" };
        var dependency = new Option<string?>("--dependency", "-d") { Description = $"Wait for other jobs: {JobDependency.Formats}" };
        var notify = new Option<string?>("--notify") { Description = "A webhook URL that gets a JSON POST on each state change of the job (started, ended, preempted)" };
        var output = new Option<string?>("--output", "-o")
        {
            Description = "The job's stdout file, as sbatch: %j job id, %A array id, %a task index, %x job name, %u user (tenant), %%; relative to --chdir; stderr too unless --error",
        };
        var error = new Option<string?>("--error", "-e") { Description = "The job's stderr file (same patterns as --output)" };
        var testOnly = new Option<bool>("--test-only") { Description = "Validate the job and say when and where it would most likely start, and why; submit nothing (as sbatch --test-only)" };
        var argv = new Argument<string[]>("command") { Description = "The command to run, after -- (or a batch script with #SERAI lines)", Arity = ArgumentArity.OneOrMore };
        var command = options.Add(new Command("submit", "Submit a job: serai submit --gpus 8 --time 2:00:00 -- python train.py")
        {
            gpus, time, name, tenant, priority, dataset, perNode, deadline, deferrable, checkpointable, aiSystem, stack, accelerator, key,
            chdir, export, hold, array, dependency, notify, testOnly, argv,
        });
        // as sbatch, -o/--output is the job's output file here, not the answer's format (--json is)
        command.Options.Remove(options.Output);
        command.Options.Add(output);
        command.Options.Add(error);
        options.SetAction(command, async (parse, client, json, ct) =>
        {
            if (UnknownOption(parse, argv) is { } unknown)
            {
                Console.Error.WriteLine($"error: unknown option '{unknown}' for `serai submit` (see `serai submit --help`); to pass it to the job, put it after --");
                return ClientOptions.UsageError;
            }
            var words = parse.GetValue(argv)!;
            foreach (var flag in AfterDoubleDash(parse).Where(t => t is "--json" or "-o" or "--output" or "--url" or "--token" or "--hub-profile"))
            {
                Console.Error.WriteLine($"warning: '{flag}' after -- belongs to the job's command, not to serai; put it before -- if it was meant for serai");
            }
            var (directives, directiveError) = Directives.Read(command, words[0]);
            if (directiveError is not null)
            {
                Console.Error.WriteLine($"error: {directiveError}");
                return ClientOptions.UsageError;
            }
            T? Pick<T>(Option<T> option) =>
                parse.GetResult(option) is { Implicit: false } || directives?.GetResult(option) is not { Implicit: false } ? parse.GetValue(option) : directives.GetValue(option);
            if (Pick(gpus) is not { } gpuCount)
            {
                Console.Error.WriteLine("error: --gpus: required; give the number of GPUs (or a '#SERAI --gpus N' line in the batch script)");
                return ClientOptions.UsageError;
            }
            var limit = Pick(time);
            if (limit is not null && TimeLimit.Parse(limit) is null)
            {
                Console.Error.WriteLine($"error: --time: '{limit}' is not a time limit; allowed formats: {TimeLimit.Formats}");
                return ClientOptions.UsageError;
            }
            var (environment, exportError) = Exports.Resolve(Pick(export));
            if (exportError is not null)
            {
                Console.Error.WriteLine($"error: --export: {exportError}");
                return ClientOptions.UsageError;
            }
            if (parse.GetValue(output) is { } format && ClientOptions.Formats.Contains(format))
            {
                Console.Error.WriteLine($"note: -o/--output names the job's output file ('{format}') for `serai submit`, as in sbatch; for a JSON answer give --json");
            }
            var body = new Dictionary<string, object?>
            {
                ["command"] = words,
                ["gpus"] = gpuCount,
                ["time"] = limit,
                ["name"] = Pick(name),
                ["tenant"] = Pick(tenant),
                ["priority"] = Pick(priority),
                ["datasets"] = NullIfEmpty(Pick(dataset)),
                ["gpusPerNode"] = Pick(perNode),
                ["deadline"] = Pick(deadline),
                ["deferrable"] = Pick(deferrable) ? true : null,
                ["checkpointable"] = Pick(checkpointable) ? true : null,
                ["aiSystem"] = Pick(aiSystem),
                ["stacks"] = NullIfEmpty(Pick(stack)),
                ["accelerator"] = Pick(accelerator),
                ["workingDirectory"] = Pick(chdir) is { } dir ? Path.GetFullPath(dir) : null,
                ["submitDirectory"] = Environment.CurrentDirectory,
                ["environment"] = environment,
                ["hold"] = Pick(hold) ? true : null,
                ["array"] = Pick(array),
                ["dependency"] = Pick(dependency),
                ["notify"] = Pick(notify),
                ["output"] = Pick(output),
                ["error"] = Pick(error),
            };
            if (parse.GetValue(testOnly))
            {
                ForecastCommands.PrintForecast(await client.PostAsync("api/v1/jobs/test-only", body.Where(p => p.Value is not null).ToDictionary(), ct), json);
                return ClientOptions.Ok;
            }
            var job = await client.PostAsync("api/v1/jobs", body.Where(p => p.Value is not null).ToDictionary(), ct, parse.GetValue(key));
            if (job.TryGetProperty("notes", out var notes) && notes.ValueKind == System.Text.Json.JsonValueKind.Array)
            {
                foreach (var note in notes.EnumerateArray())
                {
                    Console.Error.WriteLine($"note: {note.GetString()}");
                }
            }
            if (json)
            {
                ClientOptions.PrintJson(job);
            }
            else if (ClientOptions.Text(job, "arrayTasks") is { Length: > 0 } tasks)
            {
                Console.Out.WriteLine($"Submitted array job {ClientOptions.Text(job, "id")} ({tasks} tasks)");
            }
            else
            {
                Console.Out.WriteLine($"Submitted job {ClientOptions.Text(job, "id")}");
            }
            return ClientOptions.Ok;
        });
        return command;
    }

    /// <summary>The first word before -- that looks like an option the command does not know (it would otherwise start the job's command).</summary>
    internal static string? UnknownOption(ParseResult parse, Argument<string[]> argv)
    {
        var after = AfterDoubleDash(parse).Count;
        var words = parse.GetResult(argv)?.Tokens ?? [];
        return words.Take(words.Count - after).Select(t => t.Value)
            .FirstOrDefault(v => v.Length > 1 && v[0] == '-' && !double.TryParse(v, System.Globalization.CultureInfo.InvariantCulture, out _));
    }

    internal static IReadOnlyList<string> AfterDoubleDash(ParseResult parse)
    {
        var tokens = parse.Tokens;
        for (var i = 0; i < tokens.Count; i++)
        {
            if (tokens[i].Type == TokenType.DoubleDash)
            {
                return tokens.Skip(i + 1).Select(t => t.Value).ToList();
            }
        }
        return [];
    }

    private static string[]? NullIfEmpty(string[]? values) => values is { Length: > 0 } ? values : null;
}
