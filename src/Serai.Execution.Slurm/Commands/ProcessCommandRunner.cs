using System.ComponentModel;
using System.Diagnostics;

namespace Serai.Execution.Slurm.Commands;

/// <summary>Runs commands as processes on this machine; <paramref name="environment"/> adds variables (e.g. SLURM_CONF for one of several clusters).</summary>
public class ProcessCommandRunner(IReadOnlyDictionary<string, string>? environment = null) : ICommandRunner
{
    public virtual string Description => environment is { } env && env.TryGetValue("SLURM_CONF", out var conf) ? $"local (SLURM_CONF={conf})" : "local";

    public Task<CommandResult> RunAsync(string program, IReadOnlyList<string> arguments, string? standardInput, TimeSpan timeout, CancellationToken cancellationToken, bool rawOutput = false)
    {
        var (name, args) = Wrap(program, arguments);
        return RunProcessAsync(name, args, standardInput, timeout, rawOutput, cancellationToken);
    }

    /// <summary>The program and arguments that really run; a subclass wraps them (ssh).</summary>
    protected virtual (string Program, IReadOnlyList<string> Arguments) Wrap(string program, IReadOnlyList<string> arguments) => (program, arguments);

    private async Task<CommandResult> RunProcessAsync(string program, IReadOnlyList<string> arguments, string? standardInput, TimeSpan timeout, bool rawOutput, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(program)
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            StandardOutputEncoding = rawOutput ? System.Text.Encoding.Latin1 : null,
        };
        foreach (var arg in arguments)
        {
            start.ArgumentList.Add(arg);
        }
        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[key] = value;
        }
        Process process;
        try
        {
            process = Process.Start(start) ?? throw new Win32Exception("the process did not start");
        }
        catch (Win32Exception e)
        {
            return new CommandResult(-1, "", $"could not run {program}: {e.Message}");
        }
        using (process)
        {
            var stdout = process.StandardOutput.ReadToEndAsync(CancellationToken.None);
            var stderr = process.StandardError.ReadToEndAsync(CancellationToken.None);
            try
            {
                if (standardInput is not null)
                {
                    await process.StandardInput.WriteAsync(standardInput.AsMemory(), cancellationToken).ConfigureAwait(false);
                }
                process.StandardInput.Close();
            }
            catch (IOException)
            {
                // the command exited without reading its input; its exit code tells the rest
            }
            using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            limit.CancelAfter(timeout);
            try
            {
                await process.WaitForExitAsync(limit.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                try
                {
                    process.Kill(entireProcessTree: true);
                }
                catch (InvalidOperationException)
                {
                    // it ended meanwhile
                }
                cancellationToken.ThrowIfCancellationRequested();
                return new CommandResult(-1, await stdout.ConfigureAwait(false), await stderr.ConfigureAwait(false), TimedOut: true);
            }
            return new CommandResult(process.ExitCode, await stdout.ConfigureAwait(false), await stderr.ConfigureAwait(false));
        }
    }
}
