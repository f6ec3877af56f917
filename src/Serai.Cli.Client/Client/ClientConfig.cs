using System.Text.Json;
using System.Text.Json.Serialization;

namespace Serai.Cli.Client;

/// <summary>
/// Where the CLI finds the server and its token: flags first, then SERAI_URL / SERAI_TOKEN, then the profile in use
/// (--hub-profile NAME, else SERAI_PROFILE, else the file's current one) of ~/.config/serai/config.json. Each
/// `serai serve` first start adds a profile; none replaces another or changes the one in use without saying so.
/// </summary>
public sealed record ClientConfig(string Url, string? Token)
{
    public static string DefaultPath =>
        Path.Combine(Environment.GetEnvironmentVariable("XDG_CONFIG_HOME") is { Length: > 0 } xdg ? xdg : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".config"), "serai", "config.json");

    public static ClientConfig Resolve(string? url, string? token, string? profile = null)
    {
        var file = ProfileFile.Read(DefaultPath);
        var name = profile ?? (Environment.GetEnvironmentVariable("SERAI_PROFILE") is { Length: > 0 } env ? env : file.Current);
        var chosen = name is not null && file.Profiles.TryGetValue(name, out var found) ? found : null;
        if (name is not null && chosen is null)
        {
            throw new ApiException(0, $"no CLI profile '{name}' in {DefaultPath}; profiles: {(file.Profiles.Count == 0 ? "(none)" : string.Join(", ", file.Profiles.Keys))}");
        }
        return new ClientConfig(
            url ?? Environment.GetEnvironmentVariable("SERAI_URL") ?? chosen?.Url ?? Contracts.ServerAddress.Default,
            token ?? Environment.GetEnvironmentVariable("SERAI_TOKEN") ?? chosen?.Token);
    }
}

/// <summary>One hub the CLI knows: its address and token.</summary>
public sealed record HubProfile(string Url, string? Token);

/// <summary>The CLI's config file: named profiles and the one in use. A file of the older form (url, token) reads as one profile, "default".</summary>
public sealed class ProfileFile
{
    public string? Current { get; set; }

    public SortedDictionary<string, HubProfile> Profiles { get; set; } = new(StringComparer.Ordinal);

    public static ProfileFile Read(string path)
    {
        try
        {
            if (!File.Exists(path))
            {
                return new ProfileFile();
            }
            var root = JsonDocument.Parse(File.ReadAllText(path)).RootElement;
            if (root.ValueKind == JsonValueKind.Object && root.TryGetProperty("profiles", out _))
            {
                return root.Deserialize(ProfileJson.Default.ProfileFile) ?? new ProfileFile();
            }
            var old = root.Deserialize(ProfileJson.Default.HubProfile);
            var file = new ProfileFile();
            if (old?.Url is not null)
            {
                file.Profiles["default"] = old;
                file.Current = "default";
            }
            return file;
        }
        catch (Exception e) when (e is JsonException or IOException or UnauthorizedAccessException)
        {
            return new ProfileFile();
        }
    }

    /// <summary>
    /// Adds a hub's profile after its first start: under <paramref name="name"/>, or NAME-2, NAME-3... when that name
    /// is taken by another hub. It becomes the one in use only when none is. Returns the name it got.
    /// </summary>
    public string Add(string name, HubProfile profile)
    {
        var chosen = name;
        for (var n = 2; Profiles.TryGetValue(chosen, out var existing) && existing != profile; n++)
        {
            chosen = $"{name}-{n}";
        }
        Profiles[chosen] = profile;
        Current ??= chosen;
        return chosen;
    }

    /// <summary>Writes the file readable by its owner only (it holds secrets).</summary>
    public void Write(string path)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var temporary = path + ".tmp";
        File.WriteAllText(temporary, JsonSerializer.Serialize(this, ProfileJson.Default.ProfileFile));
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(temporary, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
        File.Move(temporary, path, overwrite: true);
    }
}

/// <summary>The config file's JSON, generated at compile time (the native client has no reflection-based serializer).</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, WriteIndented = true, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(ProfileFile))]
[JsonSerializable(typeof(HubProfile))]
internal sealed partial class ProfileJson : JsonSerializerContext;
