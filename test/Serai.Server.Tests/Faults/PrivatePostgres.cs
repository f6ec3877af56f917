using System.Diagnostics;

namespace Serai.Server.Tests.Faults;

/// <summary>
/// A PostgreSQL server of one test's own (initdb into a temporary folder, run as the <c>postgres</c> account, on a free
/// loopback port with its socket in that folder), for faults that stop or reconfigure the server itself: the shared
/// test server, which other tests use at the same time, is never touched.
/// </summary>
public sealed class PrivatePostgres : IDisposable
{
    private readonly string _bin;

    private PrivatePostgres(string bin, string directory, int port)
    {
        _bin = bin;
        Directory = directory;
        Port = port;
    }

    public string Directory { get; }

    public int Port { get; }

    private string Data => Path.Combine(Directory, "data");

    /// <summary>A connection string to its <c>postgres</c> database as the superuser (trust on loopback).</summary>
    public string ConnectionString => $"Host=127.0.0.1;Port={Port};Username=postgres;Database=postgres;Timeout=5";

    /// <summary>The server's database URL for `serai serve --db`.</summary>
    public string Url => "postgres:" + ConnectionString;

    /// <summary>
    /// A fresh server, started; null when PostgreSQL's binaries or the postgres account are missing, or the test does
    /// not run as root, outside CI. In CI (CI=true) any of these fails the test: the fault must never go untested silently.
    /// </summary>
    public static PrivatePostgres? Start()
    {
        var bin = System.IO.Directory.Exists("/usr/lib/postgresql")
            ? System.IO.Directory.GetDirectories("/usr/lib/postgresql").Select(d => Path.Combine(d, "bin"))
                .Where(d => File.Exists(Path.Combine(d, "initdb"))).OrderBy(d => int.TryParse(Path.GetFileName(Path.GetDirectoryName(d)), out var v) ? v : 0).LastOrDefault()
            : null;
        var missing = bin is null ? "no PostgreSQL binaries under /usr/lib/postgresql/*/bin (run scripts/services/postgres.sh)"
            : !Environment.IsPrivilegedProcess ? "not root: a private PostgreSQL runs as the postgres account"
            : Shell.Run("id", "-u", "postgres").Code != 0 ? "no postgres account" : null;
        if (missing is not null)
        {
            return string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase)
                ? throw new InvalidOperationException($"a private PostgreSQL cannot run in CI: {missing}")
                : null;
        }
        var directory = TestDatabases.NewDirectory();
        Shell.Must("chown", "postgres", directory);
        var server = new PrivatePostgres(bin!, directory, ServeProcess.FreePort());
        server.AsPostgres("initdb", "-D", server.Data, "-A", "trust", "-U", "postgres", "--no-sync", "-E", "UTF8");
        server.Begin();
        return server;
    }

    /// <summary>Starts the server (again) and waits until it accepts connections.</summary>
    public void Begin() => AsPostgres("pg_ctl", "-D", Data, "-l", Path.Combine(Directory, "log"), "-w", "-t", "30",
        "-o", $"-p {Port} -k {Directory} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200", "start");

    /// <summary>Fast shutdown: sessions are ended, open transactions rolled back, and the server stops.</summary>
    public TimeSpan StopFast()
    {
        var clock = Stopwatch.StartNew();
        AsPostgres("pg_ctl", "-D", Data, "-m", "fast", "-w", "-t", "30", "stop");
        return clock.Elapsed;
    }

    /// <summary>Runs psql on its postgres database as the superuser, each statement on its own (in one session); returns what it printed.</summary>
    public string Sql(params string[] statements) => AsPostgres("psql", ["-h", "127.0.0.1", "-p", Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
        "-d", "postgres", "-v", "ON_ERROR_STOP=1", "-qtA", .. statements.SelectMany(s => (string[])["-c", s])]);

    public string Log => File.Exists(Path.Combine(Directory, "log")) ? File.ReadAllText(Path.Combine(Directory, "log")) : "";

    public void Dispose()
    {
        Shell.Run("runuser", "-u", "postgres", "--", Path.Combine(_bin, "pg_ctl"), "-D", Data, "-m", "immediate", "-w", "-t", "30", "stop");
        TestDatabases.Remove(Directory);
    }

    private string AsPostgres(string tool, params string[] args)
    {
        var (code, output) = Shell.Run("runuser", ["-u", "postgres", "--", Path.Combine(_bin, tool), .. args]);
        Assert.True(code == 0, $"{tool} {string.Join(' ', args)} failed ({code}): {output}\n{Log}");
        return output;
    }
}
