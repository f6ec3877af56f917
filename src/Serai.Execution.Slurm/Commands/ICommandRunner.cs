namespace Serai.Execution.Slurm.Commands;

/// <summary>Runs one Slurm command with an argument list (never a shell string built from job data), locally or on a login node.</summary>
public interface ICommandRunner
{
    /// <summary>A short description for messages ("local", "ssh ops@login1").</summary>
    string Description { get; }

    /// <summary>
    /// Runs <paramref name="program"/> with <paramref name="arguments"/>, feeding <paramref name="standardInput"/>; never throws for a
    /// failed command, only reports it. With <paramref name="rawOutput"/> stdout holds one char per byte (Latin-1), for file contents.
    /// </summary>
    Task<CommandResult> RunAsync(string program, IReadOnlyList<string> arguments, string? standardInput, TimeSpan timeout, CancellationToken cancellationToken, bool rawOutput = false);
}

/// <summary>How a command ended: exit code (-1 when it could not start), its output, and whether it ran past its timeout and was killed.</summary>
public sealed record CommandResult(int ExitCode, string Stdout, string Stderr, bool TimedOut = false)
{
    public bool Ok => ExitCode == 0 && !TimedOut;

    /// <summary>The first line of stderr (or stdout), for messages.</summary>
    public string Problem => TimedOut ? "timed out"
        : FirstLine(Stderr) is { Length: > 0 } err ? err
        : FirstLine(Stdout) is { Length: > 0 } outText ? outText
        : $"exit code {ExitCode}";

    private static string FirstLine(string text) => text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).FirstOrDefault() ?? "";
}
