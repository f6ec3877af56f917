using System.CommandLine;
using Serai.Cli.Client;

namespace Serai.Cli.Commands;

/// <summary>`serai config list|use NAME`: the hubs (profiles) the CLI knows and which one it talks to.</summary>
public static class ConfigCommand
{
    public static Command Create()
    {
        var list = new Command("list", "CLI profiles: name, address, and the one in use (*)");
        list.SetAction(_ =>
        {
            var file = ProfileFile.Read(ClientConfig.DefaultPath);
            if (file.Profiles.Count == 0)
            {
                Console.Out.WriteLine($"no profiles in {ClientConfig.DefaultPath}; `serai serve` adds one on its first start");
            }
            foreach (var (name, profile) in file.Profiles)
            {
                Console.Out.WriteLine($"{(name == file.Current ? "*" : " ")} {name}\t{profile.Url}\t{(profile.Token is null ? "no token" : "token set")}");
            }
            return ClientOptions.Ok;
        });
        var name = new Argument<string>("name") { Description = "Profile name, as `serai config list` shows it" };
        var use = new Command("use", "Talk to this hub from now on") { name };
        use.SetAction(parse =>
        {
            var file = ProfileFile.Read(ClientConfig.DefaultPath);
            var chosen = parse.GetValue(name)!;
            if (!file.Profiles.ContainsKey(chosen))
            {
                Console.Error.WriteLine($"error: no profile '{chosen}'; profiles: {(file.Profiles.Count == 0 ? "(none)" : string.Join(", ", file.Profiles.Keys))}");
                return ClientOptions.UsageError;
            }
            file.Current = chosen;
            file.Write(ClientConfig.DefaultPath);
            Console.Out.WriteLine($"using profile '{chosen}' ({file.Profiles[chosen].Url})");
            return ClientOptions.Ok;
        });
        var url = new Option<string>("--url") { Description = "Server address", Required = true };
        var token = new Option<string?>("--token") { Description = "API token" };
        var addName = new Argument<string>("name") { Description = "Profile name" };
        var add = new Command("add", "Add or replace a profile (it becomes the one in use only if none is)") { addName, url, token };
        add.SetAction(parse =>
        {
            var file = ProfileFile.Read(ClientConfig.DefaultPath);
            file.Profiles[parse.GetValue(addName)!] = new HubProfile(parse.GetValue(url)!, parse.GetValue(token));
            file.Current ??= parse.GetValue(addName);
            file.Write(ClientConfig.DefaultPath);
            Console.Out.WriteLine($"profile '{parse.GetValue(addName)}' saved in {ClientConfig.DefaultPath}; in use: '{file.Current}'");
            return ClientOptions.Ok;
        });
        return new Command("config", "The CLI's hub profiles (several hubs side by side)") { list, use, add };
    }
}
