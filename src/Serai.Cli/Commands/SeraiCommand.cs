using System.CommandLine;

namespace Serai.Cli.Commands;

/// <summary>The root `serai` command of the full CLI: the hub, bench, simulate and serve commands and every client command.</summary>
public static class SeraiCommand
{
    public static RootCommand Create()
    {
        var root = new RootCommand(ClientCommands.Description);
        root.Subcommands.Add(HubCommands.Create());
        root.Subcommands.Add(BenchCommands.Create());
        root.Subcommands.Add(SimulateCommand.Create());
        root.Subcommands.Add(ServeCommand.Create());
        return ClientCommands.AddTo(root);
    }
}
