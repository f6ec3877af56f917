using System.CommandLine;
using System.Globalization;
using Serai.Cli.Client;
using Serai.Contracts;

namespace Serai.Cli.Commands;

/// <summary>`serai logs ID [-f] [--stderr]`: print a job's output; -f follows it until the job ends.</summary>
public static class JobLogsCommand
{
    public static Command Create(ClientOptions options)
    {
        var id = new Argument<string>("id") { Description = "Job id" };
        var follow = new Option<bool>("--follow", "-f") { Description = "Keep printing new output until the job ends" };
        var stderr = new Option<bool>("--stderr") { Description = "Standard error instead of standard output" };
        var command = options.Add(new Command("logs", "Print a job's stdout (or --stderr); -f follows") { id, follow, stderr });
        options.SetAction(command, async (parse, client, json, ct) =>
        {
            var stream = parse.GetValue(stderr) ? "stderr" : "stdout";
            var jobId = Uri.EscapeDataString(parse.GetValue(id)!);
            long offset = 0;
            while (true)
            {
                var (text, next, state) = await client.GetTextAsync($"api/v1/jobs/{jobId}/logs?stream={stream}&offset={offset}", "X-Next-Offset", ct);
                Console.Out.Write(text);
                offset = long.TryParse(next, NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : offset + System.Text.Encoding.UTF8.GetByteCount(text);
                var finished = state is null || JobStates.IsTerminal(state);
                if (!parse.GetValue(follow) || (finished && text.Length == 0))
                {
                    return ClientOptions.Ok;
                }
                if (text.Length == 0)
                {
                    await Task.Delay(500, ct);
                }
            }
        });
        return command;
    }
}
