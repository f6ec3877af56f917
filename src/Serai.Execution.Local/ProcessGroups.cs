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

    /// <summary>
    /// Sends <paramref name="signal"/> to the process group <paramref name="pgid"/>, only while it is still the group whose
    /// leader started at <paramref name="start"/> (see <see cref="StillOurs"/>); false if none of it is left.
    /// </summary>
    /// <remarks>
    /// Until the leader has made itself a group leader (setsid runs right after the fork) no group has the id yet; a
    /// signal then goes to the leader alone, which has started nothing else by then.
    /// </remarks>
    public static bool Signal(int pgid, long? start, int signal)
    {
        if (pgid <= 1 || start is { } s && !StillOurs(pgid, s))
        {
            return false;
        }
        if (Kill(-pgid, signal) == 0)
        {
            return true;
        }
        return start is { } leaderStart && LeaderAlive(pgid, leaderStart) && GroupOf(pgid) != pgid && Kill(pgid, signal) == 0;
    }

    /// <summary>
    /// Waits until the process <paramref name="pid"/> leads its own group (or has ended), at most <paramref name="limit"/>:
    /// a stop sent the moment a dispatch returns then reaches the whole group. False when it did not happen in time.
    /// </summary>
    public static async Task<bool> WaitGroupLeaderAsync(int pid, TimeSpan limit, CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + limit;
        while (ProcessAlive(pid) && GroupOf(pid) is { } group && group != pid)
        {
            if (DateTime.UtcNow >= deadline)
            {
                return false;
            }
            await Task.Delay(1, cancellationToken).ConfigureAwait(false);
        }
        return true;
    }

    /// <summary>The process group of the pid's process (/proc/PID/stat field 5); null when it is gone.</summary>
    public static int? GroupOf(int pid) => Stat(pid, out _)?.Group;

    /// <summary>
    /// True while a process of the group is alive. Zombies do not count: where nothing reaps orphans (a container whose
    /// first process does not), a killed job's processes would otherwise look alive for ever. With <paramref name="start"/>,
    /// a new group that got the same id after ours ended does not count either.
    /// </summary>
    public static bool GroupAlive(int pgid, long? start = null) =>
        start is { } s ? StillOurs(pgid, s) : pgid > 1 && Kill(-pgid, 0) == 0 && AnyLiveMember(pgid);

    /// <summary>True while the process exists and is not a zombie.</summary>
    public static bool ProcessAlive(int pid) => Stat(pid, out var unreadable) is { } stat ? stat.Alive : unreadable;

    /// <summary>When the process started, in clock ticks after boot (/proc/PID/stat field 22); null when it is gone.</summary>
    public static long? StartTime(int pid) => Stat(pid, out _)?.StartTicks;

    /// <summary>True while the process that started at <paramref name="start"/> still lives under this pid (not a later process that got the same pid).</summary>
    public static bool LeaderAlive(int pgid, long start) => pgid > 1 && ProcessAlive(pgid) && StartTime(pgid) == start;

    /// <summary>
    /// True while the pid's process started at <paramref name="start"/> and runs the wrapper of this job: its command line
    /// holds <paramref name="marker"/> (the job's exit-code path). Two processes may start in the same clock tick; a pid
    /// read from a file is believed only when it is this job's wrapper.
    /// </summary>
    public static bool WrapperAlive(int pgid, long start, string marker) => LeaderAlive(pgid, start) && CommandLineHolds(pgid, marker);

    /// <summary>
    /// Whether the group <paramref name="pgid"/> is still the one whose leader started at <paramref name="start"/>: its
    /// leader lives, or the leader is gone but members are left (the kernel gives no new process a pid that is still
    /// some group's id). False when the pid now belongs to another process, which may lead another group.
    /// </summary>
    /// <remarks>
    /// The leader's state and start time come from one read of /proc: read apart, a leader that dies between the two
    /// (the wrapper, on the SIGTERM of a stop) would look like another process, and the stop would skip its SIGKILL.
    /// </remarks>
    public static bool StillOurs(int pgid, long start) =>
        pgid > 1 && (Leader(pgid) is { Alive: true } leader ? leader.Start == start : GroupAlive(pgid));

    /// <summary>Whether the pid's process is alive (not a zombie) and when it started, from one read; null when it is gone.</summary>
    private static (bool Alive, long? Start)? Leader(int pid) =>
        Stat(pid, out var unreadable) is { } stat ? (stat.Alive, stat.StartTicks) : unreadable ? (true, null) : null;

    /// <summary>The fields of /proc/PID/stat the backend reads: state (field 3), process group (field 5), start time in clock ticks after boot (field 22).</summary>
    private readonly record struct ProcStat(char State, int? Group, long? StartTicks)
    {
        public bool Alive => State != 'Z';
    }

    private static ProcStat? Stat(int pid, out bool unreadable) => ReadStat($"/proc/{pid}/stat", out unreadable);

    /// <summary>
    /// One read of a process's stat file: null when the process is gone (or the file is not one), with
    /// <paramref name="unreadable"/> set when it exists but may not be read (a /proc mounted with hidepid).
    /// </summary>
    private static ProcStat? ReadStat(string path, out bool unreadable)
    {
        unreadable = false;
        try
        {
            var stat = File.ReadAllText(path);
            var afterName = stat.LastIndexOf(')'); // the command name may hold spaces and parentheses
            if (afterName < 0 || afterName + 2 >= stat.Length)
            {
                return null;
            }
            var fields = stat[(afterName + 2)..].Split(' ');
            return new ProcStat(fields[0].Length > 0 ? fields[0][0] : '?',
                fields.Length > 2 && int.TryParse(fields[2], CultureInfo.InvariantCulture, out var group) ? group : null,
                fields.Length > 19 && long.TryParse(fields[19], CultureInfo.InvariantCulture, out var ticks) ? ticks : null);
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            unreadable = true;
            return null;
        }
    }

    /// <summary>The start time of the pid's process when it runs this job's wrapper (for directories written before start times were recorded).</summary>
    public static long? WrapperStart(int pid, string marker) => pid > 1 && CommandLineHolds(pid, marker) ? StartTime(pid) : null;

    private static bool CommandLineHolds(int pid, string text)
    {
        try
        {
            return File.ReadAllText($"/proc/{pid}/cmdline").Split('\0').Contains(text, StringComparer.Ordinal);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    /// <summary>SIGTERM to the group, then SIGKILL after the grace time if anything is left; says which it took.</summary>
    public static async Task<Termination> TerminateAsync(int pgid, long? start, TimeSpan grace, CancellationToken cancellationToken)
    {
        if (!Signal(pgid, start, SigTerm))
        {
            return Termination.NotRunning;
        }
        var deadline = DateTime.UtcNow + grace;
        while (DateTime.UtcNow < deadline)
        {
            if (!GroupAlive(pgid, start))
            {
                return Termination.Terminated;
            }
            await Task.Delay(50, cancellationToken).ConfigureAwait(false);
        }
        return Signal(pgid, start, SigKill) ? Termination.Killed : Termination.Terminated;
    }

    /// <summary>Waits until no live process of the group is left, at most <paramref name="limit"/>; false if some still are.</summary>
    public static async Task<bool> WaitGoneAsync(int pgid, long? start, TimeSpan limit, CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + limit;
        while (GroupAlive(pgid, start))
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
        foreach (var entry in Directory.EnumerateDirectories("/proc"))
        {
            var name = Path.GetFileName(entry.AsSpan());
            // a process that ended while we looked, or is not ours to read, has no stat here
            if (!name.IsEmpty && char.IsAsciiDigit(name[0]) && ReadStat(Path.Combine(entry, "stat"), out _) is { Alive: true } stat && stat.Group == pgid)
            {
                return true;
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
