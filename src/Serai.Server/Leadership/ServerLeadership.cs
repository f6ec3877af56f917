using Serai.Server.Persistence;

namespace Serai.Server.Leadership;

/// <summary>What a server does now: it leads (runs the control loop and the backends), or stands by and forwards.</summary>
public enum ServerRole
{
    /// <summary>On PostgreSQL, before the first try for the leader lock.</summary>
    Starting,
    Leader,
    Standby,
}

/// <summary>
/// Which of the servers on one database leads. On PostgreSQL the leader holds a session advisory lock on a connection
/// of its own (<see cref="PostgresLeaderLock"/>): PostgreSQL releases it the moment that connection dies, so a standby
/// that tries every half second takes over within about a second of a SIGKILL. On SQLite there is one server: it leads
/// from the start; a second server on the same file is refused by `serai serve`, and named in a warning when hosted
/// otherwise (<see cref="SqliteServerLock"/>).
/// </summary>
public sealed class ServerLeadership(SeraiDatabase database, GroupCommitWriter writer, SeraiServerOptions options, IConfiguration configuration,
    IHostApplicationLifetime lifetime, TimeProvider time, ILogger<ServerLeadership> logger) : BackgroundService
{
    private readonly TaskCompletionSource _leading = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly CancellationTokenSource _lost = new();
    private volatile string? _leaderUrl;
    private volatile string? _warning;
    private IDisposable? _sqliteLock;
    private int _role = database.Kind == DatabaseKind.Sqlite ? (int)ServerRole.Leader : (int)ServerRole.Starting;

    public ServerRole Role => (ServerRole)Volatile.Read(ref _role);

    /// <summary>The address other servers forward to while this one leads (<c>Serai:AdvertiseUrl</c>, else the first listen address).</summary>
    public string Url { get; } = AdvertisedUrl(options, configuration);

    /// <summary>The leader's advertised address as last seen (this server's own while it leads); null while nobody leads.</summary>
    public string? LeaderUrl => Role == ServerRole.Leader ? Url : _leaderUrl;

    /// <summary>Something the operator must know about leadership (a second server on one SQLite file); null when all is well.</summary>
    public string? Warning => _warning;

    /// <summary>When this server became the leader (Unix seconds); 0 while it does not lead.</summary>
    public long LeadingSinceUnix { get; private set; }

    /// <summary>Whether this server led and lost the leader lock (its process then ends with a failure status).</summary>
    public bool LostLeadership { get; private set; }

    /// <summary>Cancelled when this server loses the leader lock: its control loop stops at once and the process exits.</summary>
    public CancellationToken Lost => _lost.Token;

    /// <summary>Completes once this server leads.</summary>
    public Task WhenLeadingAsync(CancellationToken cancellationToken) => _leading.Task.WaitAsync(cancellationToken);

    /// <summary>On SQLite this server leads at once, unless another holds the file and <c>RefuseSecondSqliteServer</c> says to refuse.</summary>
    public override Task StartAsync(CancellationToken cancellationToken)
    {
        if (database.Kind == DatabaseKind.Sqlite)
        {
            _warning = SqliteServerLock.Take(database.Url.SqlitePath!, logger, out _sqliteLock);
            if (_warning is not null && options.RefuseSecondSqliteServer)
            {
                throw new InvalidOperationException(_warning);
            }
            Lead();
        }
        return base.StartAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (database.Kind == DatabaseKind.Sqlite)
        {
            return;
        }
        var pollInterval = TimeSpan.FromSeconds(Math.Clamp(options.LeaderPollSeconds, 0.1, 5));
        await using var leaderLock = new PostgresLeaderLock(database.Url.ConnectionString, Url, logger);
        var acquired = await leaderLock.AcquireAsync(pollInterval, seen =>
        {
            if (Role != ServerRole.Standby || seen != _leaderUrl)
            {
                logger.LogInformation("standby: the leader is {Leader}", seen ?? "(none yet)");
            }
            _leaderUrl = seen;
            Volatile.Write(ref _role, (int)ServerRole.Standby);
        }, stoppingToken).ConfigureAwait(false);
        if (!acquired)
        {
            return; // stopping before leading
        }
        writer.LeaderEpoch = leaderLock.Epoch;
        Lead();
        logger.LogInformation("leader: this server ({Url}) holds the leader lock (epoch {Epoch}) and takes over the hub", Url, leaderLock.Epoch);
        string? reason;
        while ((reason = await leaderLock.HoldAsync(pollInterval, stoppingToken).ConfigureAwait(false)) is not null)
        {
            // The lock's session ended (PostgreSQL stopped or restarted, the connection broke). Writes stay fenced by the
            // epoch, so nothing this server writes lands once another leads. A standby that is up takes the lock within
            // its poll; this server takes it back only after a grace period and only if nobody led meanwhile.
            logger.LogWarning("leader: the leader lock's session ended ({Reason}); taking the lock back if no other server takes over", reason);
            var retaken = await RetakeAsync(leaderLock, pollInterval, stoppingToken).ConfigureAwait(false);
            if (retaken is null)
            {
                return; // stopping
            }
            if (retaken == false)
            {
                break;
            }
            logger.LogInformation("leader: this server holds the leader lock again (epoch {Epoch}, no other server led meanwhile)", leaderLock.Epoch);
        }
        if (reason is null)
        {
            return; // stopping: the lock goes with the connection, after the control loop has stopped
        }
        reason = "another server holds the lock or led meanwhile";
        // Another server may lead by now: stop acting at once (the loop watches Lost) and end the process, which a
        // supervisor restarts as a standby.
        logger.LogCritical("leader: lost the leader lock ({Reason}); stopping so that only one server leads", reason);
        LostLeadership = true;
        Volatile.Write(ref _role, (int)ServerRole.Standby);
        _leaderUrl = null;
        await _lost.CancelAsync().ConfigureAwait(false);
        Environment.ExitCode = 3;
        lifetime.StopApplication();
    }

    /// <summary>Tries to take the lock back each poll after a grace period; true, false (deposed), or null when stopping.</summary>
    private static async Task<bool?> RetakeAsync(PostgresLeaderLock leaderLock, TimeSpan pollInterval, CancellationToken stoppingToken)
    {
        var grace = pollInterval * 4;
        while (true)
        {
            try
            {
                await Task.Delay(grace, stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return null;
            }
            if (await leaderLock.RetakeAsync(stoppingToken).ConfigureAwait(false) is { } retaken)
            {
                return retaken;
            }
            grace = pollInterval;
        }
    }

    public override void Dispose()
    {
        _lost.Dispose();
        _sqliteLock?.Dispose();
        base.Dispose();
    }

    private void Lead()
    {
        LeadingSinceUnix = time.GetUtcNow().ToUnixTimeSeconds();
        Volatile.Write(ref _role, (int)ServerRole.Leader);
        _leading.TrySetResult();
    }

    private static string AdvertisedUrl(SeraiServerOptions options, IConfiguration configuration)
    {
        if (!string.IsNullOrWhiteSpace(options.AdvertiseUrl))
        {
            return options.AdvertiseUrl.Trim().TrimEnd('/');
        }
        var first = (configuration["urls"] ?? Environment.GetEnvironmentVariable("ASPNETCORE_URLS") ?? SeraiServerOptions.DefaultUrls)
            .Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).FirstOrDefault() ?? SeraiServerOptions.DefaultUrls;
        // a wildcard listen address is no address to reach: name this machine instead
        return first.Replace("://0.0.0.0", "://" + Environment.MachineName, StringComparison.Ordinal)
            .Replace("://[::]", "://" + Environment.MachineName, StringComparison.Ordinal)
            .Replace("://*", "://" + Environment.MachineName, StringComparison.Ordinal)
            .Replace("://+", "://" + Environment.MachineName, StringComparison.Ordinal).TrimEnd('/');
    }
}
