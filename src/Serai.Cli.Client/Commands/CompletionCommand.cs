using System.CommandLine;

namespace Serai.Cli.Commands;

/// <summary>
/// `serai completion bash|zsh`: a shell script that completes serai's commands and options by asking serai itself
/// (System.CommandLine's `[suggest:POSITION]` directive), so the completions always match the installed version.
/// </summary>
public static class CompletionCommand
{
    public static readonly string[] Shells = ["bash", "zsh"];

    private const string Bash = """
        # serai completion for bash: source it, or put it in ~/.local/share/bash-completion/completions/serai
        _serai_complete() {
          local IFS=$'\n'
          COMPREPLY=( $(serai "[suggest:${COMP_POINT}]" "${COMP_LINE}" 2>/dev/null | grep -- "^${COMP_WORDS[COMP_CWORD]}") )
        }
        complete -o default -F _serai_complete serai

        """;

    private const string Zsh = """
        # serai completion for zsh: source it from ~/.zshrc
        _serai_complete() {
          local -a candidates
          candidates=("${(@f)$(serai "[suggest:${#BUFFER}]" "${BUFFER}" 2>/dev/null)}")
          compadd -- $candidates
        }
        compdef _serai_complete serai

        """;

    public static Command Create()
    {
        var shell = new Argument<string>("shell") { Description = "bash or zsh" };
        shell.AcceptOnlyFromAmong(Shells);
        var command = new Command("completion", "Print a shell completion script: source <(serai completion bash)") { shell };
        command.SetAction(parse => Console.Out.Write(parse.GetValue(shell) == "zsh" ? Zsh : Bash));
        return command;
    }
}
