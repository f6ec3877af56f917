namespace Serai.Execution.Tests.Local;

/// <summary>What a test can see of real processes: whether a process group still has a live (non-zombie) member.</summary>
internal static class Processes
{
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
