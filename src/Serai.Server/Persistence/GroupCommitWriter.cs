using System.Data.Common;
using System.Threading.Channels;

namespace Serai.Server.Persistence;

/// <summary>
/// The only writer to the database. Work queued by many requests is committed in batches, one transaction per
/// batch, and each caller is answered after its batch commits: many submissions cost one fsync (group commit).
/// If an item fails, the batch is rolled back and its items are retried one by one, so only the bad one fails.
/// </summary>
public sealed class GroupCommitWriter : IAsyncDisposable
{
    private const int MaxBatch = 1024;
    private readonly SeraiDatabase _database;
    private readonly ILogger _logger;
    private readonly Channel<WriteItem> _queue = Channel.CreateUnbounded<WriteItem>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Thread _thread;
    private long _batches;
    private long _items;

    public GroupCommitWriter(SeraiDatabase database, ILogger<GroupCommitWriter> logger)
    {
        _database = database;
        _logger = logger;
        // a thread of its own: commits block on fsync, and must not take thread-pool threads from the requests
        _thread = new Thread(Run) { IsBackground = true, Name = "serai-db-writer" };
        _thread.Start();
    }

    public long Batches => Interlocked.Read(ref _batches);
    public long Items => Interlocked.Read(ref _items);

    /// <summary>Runs <paramref name="work"/> inside the next batch's transaction; completes once that batch commits.</summary>
    public Task<T> WriteAsync<T>(Func<DbConnection, DbTransaction, T> work)
    {
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
            while (_queue.Reader.WaitToReadAsync().AsTask().GetAwaiter().GetResult())
            {
                batch.Clear();
                while (batch.Count < MaxBatch && _queue.Reader.TryRead(out var item))
                {
                    batch.Add(item);
                }
                try
                {
                    connection ??= _database.OpenWriter();
                    Commit(connection, batch);
                }
                catch (Exception e)
                {
                    _logger.LogError(e, "database write failed; retrying {Count} items one by one", batch.Count);
                    connection?.Dispose();
                    connection = null;
                    connection = RetryOneByOne(batch);
                }
            }
        }
        finally
        {
            connection?.Dispose();
        }
    }

    private void Commit(DbConnection connection, List<WriteItem> batch)
    {
        using (var transaction = connection.BeginTransaction())
        {
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

    private DbConnection? RetryOneByOne(List<WriteItem> batch)
    {
        DbConnection? connection = null;
        foreach (var item in batch)
        {
            try
            {
                connection ??= _database.OpenWriter();
                Commit(connection, [item]);
            }
            catch (Exception e)
            {
                item.Fail(e);
                connection?.Dispose();
                connection = null;
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
