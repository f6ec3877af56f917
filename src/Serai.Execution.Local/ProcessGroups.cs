using System.Globalization;
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

    /// <summary>
    /// True while a process of the group is alive. Zombies do not count: where nothing reaps orphans (a container whose
    /// first process does not), a killed job's processes would otherwise look alive for ever.
    /// </summary>
    public static bool GroupAlive(int pgid) => pgid > 1 && Kill(-pgid, 0) == 0 && AnyLiveMember(pgid);

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

    /// <summary>When the process started, in clock ticks after boot (/proc/PID/stat field 22); null when it is gone.</summary>
    public static long? StartTime(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            return fields.Length > 19 && long.TryParse(fields[19], CultureInfo.InvariantCulture, out var ticks) ? ticks : null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentOutOfRangeException)
        {
            return null;
        }
    }

    /// <summary>True while the process that started at <paramref name="start"/> still lives under this pid (not a later process that got the same pid).</summary>
    public static bool LeaderAlive(int pgid, long start) => pgid > 1 && ProcessAlive(pgid) && StartTime(pgid) == start;

    /// <summary>
    /// Whether the group <paramref name="pgid"/> is still the one whose leader started at <paramref name="start"/>: its
    /// leader lives, or the leader is gone but members are left (the kernel gives no new process a pid that is still
    /// some group's id). False when the pid now belongs to another process, which may lead another group.
    /// </summary>
    public static bool StillOurs(int pgid, long start) =>
        pgid > 1 && (ProcessAlive(pgid) ? StartTime(pgid) == start : GroupAlive(pgid));

    /// <summary>SIGTERM to the group, then SIGKILL after the grace time if anything is left; says which it took.</summary>
    public static async Task<Termination> TerminateAsync(int pgid, TimeSpan grace, CancellationToken cancellationToken)
    {
        if (!Signal(pgid, SigTerm))
        {
            return Termination.NotRunning;
        }
        var deadline = DateTime.UtcNow + grace;
        while (DateTime.UtcNow < deadline)
        {
            if (!GroupAlive(pgid))
            {
                return Termination.Terminated;
            }
            await Task.Delay(50, cancellationToken).ConfigureAwait(false);
        }
        return Signal(pgid, SigKill) ? Termination.Killed : Termination.Terminated;
    }

    /// <summary>Waits until no live process of the group is left, at most <paramref name="limit"/>; false if some still are.</summary>
    public static async Task<bool> WaitGoneAsync(int pgid, TimeSpan limit, CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + limit;
        while (GroupAlive(pgid))
        {
            if (DateTime.UtcNow >= deadline)
            {
                return false;
            }
            await Task.Delay(50, cancellationToken).ConfigureAwait(false);
        }
        return true;
    }

    private static bool AnyLiveMember(int pgid)
    {
        var group = pgid.ToString(CultureInfo.InvariantCulture);
        foreach (var entry in Directory.EnumerateDirectories("/proc"))
        {
            var name = Path.GetFileName(entry.AsSpan());
            if (name.IsEmpty || !char.IsAsciiDigit(name[0]))
            {
                continue;
            }
            try
            {
                var stat = File.ReadAllText(Path.Combine(entry, "stat"));
                var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ', 4);
                if (fields.Length > 2 && fields[0] != "Z" && fields[2] == group)
                {
                    return true;
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentOutOfRangeException)
            {
                // the process ended while we looked, or is not ours to read
            }
        }
        return false;
    }
}

/// <summary>What stopping a process group took.</summary>
internal enum Termination
{
    NotRunning,
    Terminated,
    Killed,
}
