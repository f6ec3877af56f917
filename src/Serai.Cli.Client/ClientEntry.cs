using System.CommandLine;
using Serai.Cli.Commands;

namespace Serai.Cli;

/// <summary>
/// The native client's `serai`: runs the client commands itself and hands every other command line (serve, simulate,
/// bench, hub, `serai --help`, completion's suggestions for them, an unknown command) to the full CLI.
/// </summary>
public static class ClientEntry
{
    public static int Run(string[] args)
    {
        var root = ClientCommands.AddTo(new RootCommand(ClientCommands.Description));
        return Owns(root, args) ? root.Parse(args).Invoke() : FullCli.Run(args);
    }

    /// <summary>
    /// Whether the command the arguments name (after the root's --hub-profile) is one of <paramref name="root"/>'s own;
    /// for completion's `[suggest:N] "serai WORDS"`, whether the command the line names is (none of the full CLI's
    /// other commands starts with the name of one of these, so the full CLI would suggest the same).
    /// </summary>
    public static bool Owns(RootCommand root, IReadOnlyList<string> args)
    {
        if (args is [var directive, var line] && directive.StartsWith("[suggest", StringComparison.Ordinal))
        {
            var words = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            return words.Length > 1 && Owns(root, words[1..]);
        }
        return CommandWord(args) is { } word && root.Subcommands.Any(c => c.Name == word || c.Aliases.Contains(word));
    }

    /// <summary>The first argument after the root's --hub-profile: the command's name, an option, a directive, or null.</summary>
    public static string? CommandWord(IReadOnlyList<string> args)
    {
        var i = 0;
        while (i < args.Count && (args[i] == "--hub-profile" || args[i].StartsWith("--hub-profile=", StringComparison.Ordinal)))
        {
            i += args[i] == "--hub-profile" ? 2 : 1;
        }
        return i < args.Count ? args[i] : null;
    }
}
