using System.CommandLine;

namespace Serai.Cli.Commands;

/// <summary>The root `serai` command; each area adds its own subcommands from its own file.</summary>
public static class SeraiCommand
{
    public static RootCommand Create()
    {
        var root = new RootCommand("Serai: control plane of a regional AI compute hub");
        root.Subcommands.Add(HubCommands.Create());
        root.Subcommands.Add(BenchCommands.Create());
        root.Subcommands.Add(SimulateCommand.Create());
        root.Subcommands.Add(ServeCommand.Create());
        root.Subcommands.Add(CompletionCommand.Create());
        var options = new Client.ClientOptions();
        root.Options.Add(options.Profile);
        foreach (var client in ClientCommands.Create(options))
        {
            root.Subcommands.Add(client);
        }
        return root;
    }
}
