using System.CommandLine;
using System.Text.Json;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace Serai.Cli.Client;

/// <summary>
/// The options every client command shares (--url, --token, --json, -o) and how a command runs against the API;
/// --hub-profile is the root's, for every command.
/// </summary>
public sealed class ClientOptions
{
    public const int Ok = 0;
    public const int ServerError = 1;
    public const int UsageError = 2;

    public static readonly string[] Formats = ["table", "wide", "json", "yaml"];

    // `-o yaml` for the command running now: its answers print as YAML wherever they would print as JSON
    private static readonly AsyncLocal<bool> s_yaml = new();

    public Option<string?> Url { get; } = new("--url") { Description = "Server address (else SERAI_URL, else the CLI profile in use)" };
    public Option<string?> Token { get; } = new("--token") { Description = "API token (else SERAI_TOKEN, else the CLI profile in use)" };
    public Option<bool> Json { get; } = new("--json") { Description = "Print JSON for scripts instead of tables (same as -o json)" };
    public Option<string?> Output { get; } = new("--output", "-o") { Description = "table (default), wide (more columns), json or yaml" };

    /// <summary>`serai --hub-profile NAME ...`: which hub of the config file (else SERAI_PROFILE, else the file's current one).</summary>
    public Option<string?> Profile { get; } = new("--hub-profile") { Description = "CLI profile (hub) to use: see `serai config list`", Recursive = true };

    public ClientOptions() => Output.AcceptOnlyFromAmong(Formats);

    public Command Add(Command command)
    {
        command.Options.Add(Url);
        command.Options.Add(Token);
        command.Options.Add(Json);
        command.Options.Add(Output);
        return command;
    }

    /// <summary>Whether the caller asked for more columns.</summary>
    public bool Wide(ParseResult parse) => parse.GetValue(Output) == "wide";

    /// <summary>Runs <paramref name="body"/> with a client; API errors print to stderr and give exit code 1 (2 for usage errors).</summary>
    public void SetAction(Command command, Func<ParseResult, SeraiClient, bool, CancellationToken, Task<int>> body) =>
        command.SetAction(async (parse, cancellationToken) =>
        {
            try
            {
                using var client = new SeraiClient(ClientConfig.Resolve(parse.GetValue(Url), parse.GetValue(Token), parse.GetValue(Profile)));
                var format = parse.GetValue(Output);
                s_yaml.Value = format == "yaml";
                return await body(parse, client, parse.GetValue(Json) || format is "json" or "yaml", cancellationToken);
            }
            catch (ApiException e)
            {
                Console.Error.WriteLine($"error: {e.Message}");
                return e.Status == 0 ? UsageError : ServerError;
            }
        });

    /// <summary>An answer for scripts: JSON (--json, -o json), or YAML with -o yaml.</summary>
    public static void PrintJson(object value)
    {
        using var document = JsonDocument.Parse(JsonText.Write(value));
        PrintJson(document.RootElement);
    }

    /// <summary>An answer for scripts: JSON (--json, -o json), or YAML with -o yaml.</summary>
    public static void PrintJson(JsonElement value) => Console.Out.Write(s_yaml.Value ? YamlText.Write(value) : JsonText.Indented(value) + Environment.NewLine);

    public static string Text(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind != JsonValueKind.Null ? (v.ValueKind == JsonValueKind.String ? v.GetString()! : v.GetRawText()) : "";

    public static string Time(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number
            ? DateTimeOffset.FromUnixTimeSeconds(v.GetInt64()).ToString("yyyy-MM-dd HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture)
            : "";

    public static string Escape(string text) => Markup.Escape(text);

    /// <summary>
    /// Writes a table at the terminal's width (COLUMNS when set, else the window's); into a pipe or a file it does not
    /// wrap at all, so that scripts and logs get one line per row.
    /// </summary>
    public static void Write(IRenderable renderable)
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Out) });
        console.Profile.Width = TerminalWidth();
        console.Write(renderable);
    }

    public static int TerminalWidth()
    {
        if (int.TryParse(Environment.GetEnvironmentVariable("COLUMNS"), out var columns) && columns > 20)
        {
            return columns;
        }
        if (!Console.IsOutputRedirected)
        {
            try
            {
                if (Console.WindowWidth > 20)
                {
                    return Console.WindowWidth;
                }
            }
            catch (IOException)
            {
                // not a terminal after all
            }
        }
        return 4096;
    }
}
