using System.Text;

namespace Serai.Execution.Slurm.Commands;

/// <summary>
/// Runs Slurm commands on a login node over <c>ssh</c> (key-based, BatchMode, no password prompts). ssh hands the remote
/// side one command line, so every argument is quoted for the remote POSIX shell.
/// </summary>
public sealed class SshCommandRunner(string destination, IReadOnlyList<string>? sshOptions = null) : ProcessCommandRunner
{
    public override string Description => $"ssh {destination}";

    protected override (string Program, IReadOnlyList<string> Arguments) Wrap(string program, IReadOnlyList<string> arguments)
    {
        var args = new List<string> { "-o", "BatchMode=yes", "-o", "ConnectTimeout=10" };
        args.AddRange(sshOptions ?? []);
        args.Add("--");
        args.Add(destination);
        args.Add(string.Join(' ', new[] { program }.Concat(arguments).Select(ShellQuote.Quote)));
        return ("ssh", args);
    }
}

/// <summary>POSIX shell quoting: the word in single quotes, each single quote written as <c>'\''</c>.</summary>
public static class ShellQuote
{
    public static string Quote(string word)
    {
        ArgumentNullException.ThrowIfNull(word);
        var text = new StringBuilder(word.Length + 2).Append('\'');
        foreach (var c in word)
        {
            text.Append(c == '\'' ? "'\\''" : c.ToString());
        }
        return text.Append('\'').ToString();
    }
}
