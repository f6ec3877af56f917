namespace Serai.Execution.Tests.Local;

/// <summary>What a test can see of real processes: whether a process group still has a live (non-zombie) member.</summary>
internal static class Processes
{
    /// <summary>The /proc/PID/stat lines of the group's live members, for a failure message.</summary>
    public static string Members(int pgid) => string.Join(" | ", Directory.EnumerateDirectories("/proc")
        .Select(d => Path.GetFileName(d))
        .Where(n => n.All(char.IsDigit))
        .Select(pid =>
        {
            try
            {
                var stat = File.ReadAllText($"/proc/{pid}/stat");
                var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
                return fields[0] != "Z" && fields[2] == pgid.ToString(System.Globalization.CultureInfo.InvariantCulture) ? stat[..Math.Min(stat.Length, 120)] : null;
            }
            catch (IOException)
            {
                return null;
            }
        })
        .Where(s => s is not null));

    /// <summary>The group's live members now: pid, start time and command name, so that a test can later ask about these very processes.</summary>
    public static List<(int Pid, long Start, string Name)> LiveMembers(int pgid)
    {
        var members = new List<(int, long, string)>();
        foreach (var pid in Directory.EnumerateDirectories("/proc").Select(Path.GetFileName).Where(n => n!.All(char.IsDigit)))
        {
            try
            {
                var stat = File.ReadAllText($"/proc/{pid}/stat");
                var name = stat[(stat.IndexOf('(') + 1)..stat.LastIndexOf(')')];
                var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
                if (fields[0] != "Z" && fields[2] == pgid.ToString(System.Globalization.CultureInfo.InvariantCulture))
                {
                    members.Add((int.Parse(pid!, System.Globalization.CultureInfo.InvariantCulture), long.Parse(fields[19], System.Globalization.CultureInfo.InvariantCulture), name));
                }
            }
            catch (IOException)
            {
                // ended while we looked
            }
        }
        return members;
    }

    /// <summary>Whether any of these processes (the same pid with the same start time, so not a later process given its id) is alive.</summary>
    public static bool AnyAlive(IEnumerable<(int Pid, long Start, string Name)> processes) =>
        processes.Any(p => ProcessAlive(p.Pid) && StartTime(p.Pid) == p.Start);

    /// <summary>When the process started (clock ticks after boot), null when it is gone.</summary>
    public static long? StartTime(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            return long.Parse(stat[(stat.LastIndexOf(')') + 2)..].Split(' ')[19], System.Globalization.CultureInfo.InvariantCulture);
        }
        catch (IOException)
        {
            return null;
        }
    }

    /// <summary>
    /// Whether the group whose leader started at <paramref name="leaderStart"/> still has a live member. On a busy machine
    /// the kernel soon gives the id to a new process (another test's job): a leader with another start time means ours is gone.
    /// </summary>
    public static bool GroupAlive(int pgid, long? leaderStart) =>
        !(leaderStart is { } s && ProcessAlive(pgid) && StartTime(pgid) != s) && GroupAlive(pgid);

    public static bool ProcessAlive(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            return stat[stat.LastIndexOf(')') + 2] != 'Z';
        }
        catch (IOException)
        {
            return false;
        }
    }

    public static bool GroupAlive(int pgid) => Directory.EnumerateDirectories("/proc")
        .Select(d => Path.GetFileName(d))
        .Where(n => n.All(char.IsDigit))
        .Any(pid =>
        {
            try
            {
                var stat = File.ReadAllText($"/proc/{pid}/stat");
                var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
                return fields[0] != "Z" && fields[2] == pgid.ToString(System.Globalization.CultureInfo.InvariantCulture);
            }
            catch (IOException)
            {
                return false;
            }
        });
}

/// <summary>A clock that always reads the same instant, so marker lines can be compared whole.</summary>
internal sealed class FixedTime(DateTimeOffset now) : TimeProvider
{
    public override DateTimeOffset GetUtcNow() => now;
}
