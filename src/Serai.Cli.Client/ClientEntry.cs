using System.CommandLine;
using Serai.Cli.Commands;

namespace Serai.Cli;

/// <summary>
/// The native client's `serai`: runs the client commands itself and hands every other command line (serve, simulate,
/// bench, hub, `serai --help`, completion's `[suggest]` directive, an unknown command) to the full CLI.
/// </summary>
public static class ClientEntry
{
    public static int Run(string[] args)
    {
        var root = ClientCommands.AddTo(new RootCommand(ClientCommands.Description));
        return Owns(root, args) ? root.Parse(args).Invoke() : FullCli.Run(args);
    }

    /// <summary>Whether the command the arguments name (after the root's --hub-profile) is one of <paramref name="root"/>'s own.</summary>
    public static bool Owns(RootCommand root, IReadOnlyList<string> args)
    {
        var i = 0;
        while (i < args.Count && (args[i] == "--hub-profile" || args[i].StartsWith("--hub-profile=", StringComparison.Ordinal)))
        {
            i += args[i] == "--hub-profile" ? 2 : 1;
        }
        if (i >= args.Count)
        {
            return false;
        }
        var word = args[i];
        return root.Subcommands.Any(c => c.Name == word || c.Aliases.Contains(word));
    }
}
