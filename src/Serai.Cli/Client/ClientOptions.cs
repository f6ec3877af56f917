using System.CommandLine;
using System.Text.Json;
using Spectre.Console;

namespace Serai.Cli.Client;

/// <summary>The options every client command shares (--url, --token, --json) and how a command runs against the API.</summary>
public sealed class ClientOptions
{
    public const int Ok = 0;
    public const int ServerError = 1;
    public const int UsageError = 2;

    public Option<string?> Url { get; } = new("--url") { Description = "Server address (else SERAI_URL, else ~/.config/serai/config.json)" };
    public Option<string?> Token { get; } = new("--token") { Description = "API token (else SERAI_TOKEN, else the config file)" };
    public Option<bool> Json { get; } = new("--json") { Description = "Print JSON for scripts instead of tables" };

    public Command Add(Command command)
    {
        command.Options.Add(Url);
        command.Options.Add(Token);
        command.Options.Add(Json);
        return command;
    }

    /// <summary>Runs <paramref name="body"/> with a client; API errors print to stderr and give exit code 1.</summary>
    public void SetAction(Command command, Func<ParseResult, SeraiClient, bool, CancellationToken, Task<int>> body) =>
        command.SetAction(async (parse, cancellationToken) =>
        {
            using var client = new SeraiClient(ClientConfig.Resolve(parse.GetValue(Url), parse.GetValue(Token)));
            try
            {
                return await body(parse, client, parse.GetValue(Json), cancellationToken);
            }
            catch (ApiException e)
            {
                Console.Error.WriteLine($"error: {e.Message}");
                return e.Status == 0 ? UsageError : ServerError;
            }
        });

    public static void PrintJson(JsonElement value) => Console.Out.WriteLine(JsonSerializer.Serialize(value, SeraiClient.Json));

    public static string Text(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind != JsonValueKind.Null ? (v.ValueKind == JsonValueKind.String ? v.GetString()! : v.GetRawText()) : "";

    public static string Time(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number
            ? DateTimeOffset.FromUnixTimeSeconds(v.GetInt64()).ToString("yyyy-MM-dd HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture)
            : "";

    public static string Escape(string text) => Markup.Escape(text);
}
