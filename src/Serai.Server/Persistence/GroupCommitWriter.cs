using System.Data.Common;
using System.Diagnostics;
using System.Threading.Channels;

namespace Serai.Server.Persistence;

/// <summary>
/// The only writer to the database. Work queued by many requests is committed in batches, one transaction per
/// batch, and each caller is answered after its batch commits: many submissions cost one fsync (group commit).
/// If an item fails, the batch is rolled back and its items are retried one by one, so only the bad one fails.
/// When the database itself refuses (locked past the lock timeout, read-only, full, unreachable), the whole batch
/// fails at once with <see cref="StoreUnavailableException"/>, later writes are refused without waiting, and a probe
/// write each <see cref="ProbeInterval"/> finds when the database takes writes again (see <see cref="StoreHealth"/>).
/// </summary>
public sealed class GroupCommitWriter : IAsyncDisposable
{
    /// <summary>How often a refusing database is tried again.</summary>
    public static readonly TimeSpan ProbeInterval = TimeSpan.FromSeconds(1);

    private const int MaxBatch = 1024;
    private readonly SeraiDatabase _database;
    private readonly ILogger _logger;
    private readonly TimeSpan _lockTimeout;
    private readonly TimeSpan _stuckAfter;
    private readonly Channel<WriteItem> _queue = Channel.CreateUnbounded<WriteItem>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Thread _thread;
    private long _batches;
    private long _items;
    private long _writingSince;
    private long _leaderEpoch;

    public GroupCommitWriter(SeraiDatabase database, ILogger<GroupCommitWriter> logger, TimeProvider? time = null, SeraiServerOptions? options = null)
    {
        _database = database;
        _logger = logger;
        Health = new StoreHealth(time ?? TimeProvider.System);
        _lockTimeout = TimeSpan.FromSeconds(Math.Max(0.1, options?.DatabaseLockTimeoutSeconds ?? 5));
        // a write that neither commits nor fails (a hung disk or network) is reported well after any lock timeout
        _stuckAfter = TimeSpan.FromSeconds(Math.Max(15, 3 * _lockTimeout.TotalSeconds));
        // a thread of its own: commits block on fsync, and must not take thread-pool threads from the requests
        _thread = new Thread(Run) { IsBackground = true, Name = "serai-db-writer" };
        _thread.Start();
    }

    /// <summary>
    /// On PostgreSQL, the leader epoch this server took with the leader lock (0: not fenced, as on SQLite and before
    /// leading). Every transaction then first reads the epoch row under a share lock: a new leader's raise of the epoch
    /// waits for a transaction in flight, and a transaction after it fails, so a deposed leader's write never lands.
    /// </summary>
    public long LeaderEpoch
    {
        get => Interlocked.Read(ref _leaderEpoch);
        set => Interlocked.Exchange(ref _leaderEpoch, value);
    }

    public long Batches => Interlocked.Read(ref _batches);
    public long Items => Interlocked.Read(ref _items);

    /// <summary>Whether the database takes writes, as the last write or probe found.</summary>
    public StoreHealth Health { get; }

    /// <summary>Why a write would be refused now (the database refuses, or a write has hung); null when writes go through.</summary>
    public StoreUnavailableException? Refusal()
    {
        if (!Health.Writable)
        {
            return Health.Refusal();
        }
        var since = Interlocked.Read(ref _writingSince);
        return since != 0 && Stopwatch.GetElapsedTime(since) is var running && running > _stuckAfter
            ? new StoreUnavailableException($"a database write has not returned for {running.TotalSeconds:0} s; try again", StoreHealth.RetryAfterSeconds)
            : null;
    }

    /// <summary>Runs <paramref name="work"/> inside the next batch's transaction; completes once that batch commits.</summary>
    public Task<T> WriteAsync<T>(Func<DbConnection, DbTransaction, T> work)
    {
        if (Refusal() is { } refused)
        {
            return Task.FromException<T>(refused);
        }
        var item = new WriteItem<T>(work);
        if (!_queue.Writer.TryWrite(item))
        {
            throw new InvalidOperationException("the database writer has stopped");
        }
        return item.Completion.Task;
    }

    public Task WriteAsync(Action<DbConnection, DbTransaction> work) =>
        WriteAsync<bool>((c, t) =>
        {
            work(c, t);
            return true;
        });

    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await Task.Run(_thread.Join).ConfigureAwait(false);
    }

    private void Run()
    {
        DbConnection? connection = null;
        var batch = new List<WriteItem>(MaxBatch);
        try
        {
            while (true)
            {
                if (!Health.Writable && !Probe(ref connection))
                {
                    if (_queue.Reader.Completion.Wait(ProbeInterval))
                    {
                        break;
                    }
                    continue;
                }
                if (!_queue.Reader.WaitToReadAsync().AsTask().GetAwaiter().GetResult())
                {
                    break;
                }
                batch.Clear();
                while (batch.Count < MaxBatch && _queue.Reader.TryRead(out var item))
                {
                    batch.Add(item);
                }
                Interlocked.Exchange(ref _writingSince, Stopwatch.GetTimestamp());
                try
                {
                    connection ??= _database.OpenWriter(_lockTimeout);
                    Commit(connection, batch);
                }
                catch (Exception e) when (StoreHealth.IsUnavailable(e))
                {
                    Close(ref connection);
                    Refuse(batch, e);
                }
                catch (Exception e)
                {
                    _logger.LogError(e, "database write failed; retrying {Count} items one by one", batch.Count);
                    Close(ref connection);
                    connection = RetryOneByOne(batch);
                }
                finally
                {
                    Interlocked.Exchange(ref _writingSince, 0);
                }
            }
        }
        finally
        {
            connection?.Dispose();
        }
    }

    /// <summary>The database refused: every item of the batch, and whatever queued behind it, fails now.</summary>
    private void Refuse(List<WriteItem> items, Exception cause)
    {
        if (Health.MarkFailing(cause))
        {
            _logger.LogWarning("the database refuses writes: {Message}; answering 503 until a probe write succeeds", cause.Message);
        }
        var refusal = Health.Refusal(cause);
        items.ForEach(i => i.Fail(refusal));
        while (_queue.Reader.TryRead(out var queued))
        {
            queued.Fail(refusal);
        }
    }

    /// <summary>A small real write (a probe counter); true (and the store writable again) when it commits.</summary>
    private bool Probe(ref DbConnection? connection)
    {
        var waiting = new List<WriteItem>();
        while (_queue.Reader.TryRead(out var queued))
        {
            waiting.Add(queued);
        }
        try
        {
            connection ??= _database.OpenWriter(_lockTimeout);
            using (var transaction = connection.BeginTransaction())
            {
                using var command = connection.CreateCommand();
                command.Transaction = transaction;
                Fence(connection, transaction);
                // a write that changes a row: SQLite skips an update that sets a value to itself, which proves nothing
                command.CommandText = "insert into sequences (name, value) values ('write_probe', 1) on conflict (name) do update set value = sequences.value + 1";
                command.ExecuteNonQuery();
                transaction.Commit();
            }
        }
        catch (Exception e)
        {
            // whatever the probe meets, the store stays refused: the writer thread must not end on it
            Close(ref connection);
            Refuse(waiting, e);
            return false;
        }
        var down = Health.MarkWritable();
        _logger.LogInformation("the database takes writes again after {Seconds:0.0} s", down?.TotalSeconds ?? 0);
        waiting.ForEach(i => _queue.Writer.TryWrite(i));
        return true;
    }

    /// <summary>
    /// Drops the writer's connection and its pool: a connection opened while the file could not be written (SQLite then
    /// opens it read-only) or to a server that went away must not come back from the pool once the fault is gone.
    /// </summary>
    private static void Close(ref DbConnection? connection)
    {
        switch (connection)
        {
            case Microsoft.Data.Sqlite.SqliteConnection sqlite:
                Microsoft.Data.Sqlite.SqliteConnection.ClearPool(sqlite);
                break;
            case Npgsql.NpgsqlConnection postgres:
                Npgsql.NpgsqlConnection.ClearPool(postgres);
                break;
        }
        connection?.Dispose();
        connection = null;
    }

    private void Commit(DbConnection connection, List<WriteItem> batch)
    {
        using (var transaction = connection.BeginTransaction())
        {
            Fence(connection, transaction);
            foreach (var item in batch)
            {
                item.Run(connection, transaction);
            }
            transaction.Commit();
        }
        Interlocked.Increment(ref _batches);
        Interlocked.Add(ref _items, batch.Count);
        foreach (var item in batch)
        {
            item.Complete();
        }
    }

    /// <summary>Fails the transaction (as the store being unavailable) when another server has taken the leader lock since this one did.</summary>
    private void Fence(DbConnection connection, DbTransaction transaction)
    {
        var epoch = LeaderEpoch;
        if (epoch == 0 || connection is not Npgsql.NpgsqlConnection)
        {
            return;
        }
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = $"select value from sequences where name = '{Leadership.PostgresLeaderLock.EpochRow}' for share";
        var now = Convert.ToInt64(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
        if (now != epoch)
        {
            throw new StoreUnavailableException($"this server no longer leads (it took the leader lock as epoch {epoch}, another server took it as epoch {now}); nothing was changed",
                StoreHealth.RetryAfterSeconds);
        }
    }

    private DbConnection? RetryOneByOne(List<WriteItem> batch)
    {
        DbConnection? connection = null;
        for (var i = 0; i < batch.Count; i++)
        {
            try
            {
                connection ??= _database.OpenWriter(_lockTimeout);
                Commit(connection, [batch[i]]);
            }
            catch (Exception e) when (StoreHealth.IsUnavailable(e))
            {
                Close(ref connection);
                Refuse(batch[i..], e);
                return null;
            }
            catch (Exception e)
            {
                batch[i].Fail(e);
                Close(ref connection);
            }
        }
        return connection;
    }

    private abstract class WriteItem
    {
        public abstract void Run(DbConnection connection, DbTransaction transaction);

        public abstract void Complete();

        public abstract void Fail(Exception error);
    }

    private sealed class WriteItem<T>(Func<DbConnection, DbTransaction, T> work) : WriteItem
    {
        private T? _result;

        public TaskCompletionSource<T> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public override void Run(DbConnection connection, DbTransaction transaction) => _result = work(connection, transaction);

        public override void Complete() => Completion.TrySetResult(_result!);

        public override void Fail(Exception error) => Completion.TrySetException(error);
    }
}
