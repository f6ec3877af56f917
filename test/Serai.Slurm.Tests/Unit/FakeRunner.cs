using System.Collections.Concurrent;
using Serai.Execution.Slurm.Commands;

namespace Serai.Slurm.Tests.Unit;

/// <summary>A command runner that answers with recorded Slurm outputs and remembers every call.</summary>
internal sealed class FakeRunner(Func<string, IReadOnlyList<string>, string?, CommandResult> answer) : ICommandRunner
{
    public ConcurrentQueue<(string Program, IReadOnlyList<string> Arguments, string? Input)> Calls { get; } = new();

    public string Description => "fake";

    public int Count(string program) => Calls.Count(c => c.Program == program);

    public Task<CommandResult> RunAsync(string program, IReadOnlyList<string> arguments, string? standardInput, TimeSpan timeout, CancellationToken cancellationToken, bool rawOutput = false)
    {
        Calls.Enqueue((program, arguments, standardInput));
        return Task.FromResult(answer(program, arguments, standardInput));
    }

    public static CommandResult Ok(string stdout = "") => new(0, stdout, "");

    /// <summary>A squeue line in the backend's field order.</summary>
    public static string Squeue(string id, string state, string reason, string name, string comment, string submit = "2026-01-01T00:00:00", string nodes = "kz-n1", int restarts = 0, int status = 0, string limit = "1:00")
    {
        const char s = '\x1f';
        return $"{id}{s}{state}{s}{reason}{s}{name}{s}{comment}{s}{submit}{s}{nodes}{s}{restarts}{s}{status}{s}{limit}{s}\n";
    }
}
