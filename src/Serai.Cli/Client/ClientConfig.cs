using System.Text.Json;

namespace Serai.Cli.Client;

/// <summary>
/// Where the CLI finds the server and its token: flags first, then SERAI_URL / SERAI_TOKEN, then
/// ~/.config/serai/config.json (written by `serai serve` on first start for the admin).
/// </summary>
public sealed record ClientConfig(string Url, string? Token)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    public static string DefaultPath =>
        Path.Combine(Environment.GetEnvironmentVariable("XDG_CONFIG_HOME") is { Length: > 0 } xdg ? xdg : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".config"), "serai", "config.json");

    public static ClientConfig Resolve(string? url, string? token)
    {
        var file = Read(DefaultPath);
        return new ClientConfig(
            url ?? Environment.GetEnvironmentVariable("SERAI_URL") ?? file?.Url ?? Server.SeraiServerOptions.DefaultUrls,
            token ?? Environment.GetEnvironmentVariable("SERAI_TOKEN") ?? file?.Token);
    }

    public static ClientConfig? Read(string path)
    {
        try
        {
            return File.Exists(path) ? JsonSerializer.Deserialize<ClientConfig>(File.ReadAllText(path), Json) : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>Writes the file readable by its owner only (it holds a secret).</summary>
    public void Write(string path)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, JsonSerializer.Serialize(this, Json));
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
    }
}
