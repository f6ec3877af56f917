using System.Runtime.InteropServices;

namespace Serai.Execution.Local;

/// <summary>Signals to whole process groups (a job and every process it started) and liveness checks through /proc.</summary>
internal static partial class ProcessGroups
{
    public const int SigTerm = 15;
    public const int SigKill = 9;

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Kill(int pid, int signal);

    /// <summary>Sends <paramref name="signal"/> to the process group led by <paramref name="pgid"/>; false if none is left.</summary>
    public static bool Signal(int pgid, int signal) => pgid > 1 && Kill(-pgid, signal) == 0;

    /// <summary>True while any process of the group is alive (signal 0 tests without sending).</summary>
    public static bool GroupAlive(int pgid) => pgid > 1 && Kill(-pgid, 0) == 0;

    /// <summary>True while the process exists and is not a zombie.</summary>
    public static bool ProcessAlive(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            var afterName = stat.LastIndexOf(')');
            return afterName > 0 && afterName + 2 < stat.Length && stat[afterName + 2] != 'Z';
        }
        catch (IOException)
        {
            return false;
        }
        catch (UnauthorizedAccessException)
        {
            return true;
        }
    }

    /// <summary>SIGTERM to the group, then SIGKILL after the grace time if anything is left.</summary>
    public static async Task TerminateAsync(int pgid, TimeSpan grace, CancellationToken cancellationToken)
    {
        if (!Signal(pgid, SigTerm))
        {
            return;
        }
        var deadline = DateTime.UtcNow + grace;
        while (DateTime.UtcNow < deadline && GroupAlive(pgid))
        {
            await Task.Delay(50, cancellationToken).ConfigureAwait(false);
        }
        Signal(pgid, SigKill);
    }
}
