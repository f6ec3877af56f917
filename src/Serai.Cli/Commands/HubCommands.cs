using System.CommandLine;
using System.Text.Json;
using Serai.Config;
using Serai.Config.Summary;

namespace Serai.Cli.Commands;

/// <summary>`serai hub check FILE` and `serai hub show FILE [--json]`.</summary>
public static class HubCommands
{
    public const int Ok = 0;
    public const int Invalid = 1;
    public const int NotFound = 2;

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    public static Command Create()
    {
        var hub = new Command("hub", "Validate and describe a hub configuration");
        hub.Subcommands.Add(Check());
        hub.Subcommands.Add(Show());
        return hub;
    }

    private static Command Check()
    {
        var file = new Argument<FileInfo>("file") { Description = "The hub config (YAML)" };
        var probe = new Option<bool>("--probe") { Description = "Also ask each Slurm site whether its partitions, GPU types, nodes and accounts exist" };
        var check = new Command("check", "Validate a hub config; print every error with file, line, field, value and what is allowed");
        check.Arguments.Add(file);
        check.Options.Add(probe);
        check.SetAction(async (parse, cancellationToken) =>
        {
            var (summary, code) = Load(parse.GetValue(file)!);
            if (summary is not null)
            {
                Console.Out.WriteLine($"ok: {summary.OneLine()}");
                if (parse.GetValue(probe))
                {
                    code = await SlurmProbeOutput.WriteAsync(HubConfigLoader.LoadFile(parse.GetValue(file)!.ToString()), Console.Out, cancellationToken);
                }
            }
            return code;
        });
        return check;
    }

    private static Command Show()
    {
        var file = new Argument<FileInfo>("file") { Description = "The hub config (YAML)" };
        var json = new Option<bool>("--json") { Description = "Print one JSON object instead of tables" };
        var show = new Command("show", "Describe a hub: sites, power, PUE range over the year, fleet, tenants, data, AI systems");
        show.Arguments.Add(file);
        show.Options.Add(json);
        show.SetAction(parse =>
        {
            var (summary, code) = Load(parse.GetValue(file)!);
            if (summary is null)
            {
                return code;
            }
            if (parse.GetValue(json))
            {
                Console.Out.WriteLine(JsonSerializer.Serialize(summary, Json));
            }
            else
            {
                HubTables.Write(summary, Console.Out);
            }
            return Ok;
        });
        return show;
    }

    /// <summary>Loads the file; on failure prints the errors to standard error and returns the exit code.</summary>
    private static (HubSummary? Summary, int Code) Load(FileInfo file)
    {
        if (!file.Exists)
        {
            Console.Error.WriteLine($"{file}: no such file");
            return (null, NotFound);
        }
        var result = HubConfigLoader.LoadFile(file.ToString());
        if (result.Hub is null)
        {
            foreach (var error in result.Errors)
            {
                Console.Error.WriteLine(error);
            }
            Console.Error.WriteLine($"{result.Errors.Count} error{(result.Errors.Count == 1 ? "" : "s")} in {file}");
            return (null, Invalid);
        }
        return (HubSummary.From(result.Hub), Ok);
    }
}
