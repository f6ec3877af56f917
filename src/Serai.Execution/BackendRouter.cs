using System.Collections.Frozen;

namespace Serai.Execution;

/// <summary>
/// The backend of each site behind one seam: launches go to the backend of their site, every later call to the backend
/// of its <see cref="JobRef.Site"/>, and the events of all backends come out of one <see cref="EventRaised"/>. Several
/// sites may share one backend instance. The router owns its backends and disposes them.
/// </summary>
public sealed class BackendRouter : IExecutionBackend, IDisposable
{
    private readonly FrozenDictionary<string, IExecutionBackend> _bySite;
    private readonly IExecutionBackend[] _backends;
    private int _disposed;

    public BackendRouter(IEnumerable<KeyValuePair<string, IExecutionBackend>> backendsBySite)
    {
        ArgumentNullException.ThrowIfNull(backendsBySite);
        var bySite = new Dictionary<string, IExecutionBackend>(StringComparer.Ordinal);
        foreach (var (site, backend) in backendsBySite)
        {
            ArgumentException.ThrowIfNullOrWhiteSpace(site);
            ArgumentNullException.ThrowIfNull(backend);
            if (!bySite.TryAdd(site, backend))
            {
                throw new ArgumentException($"site '{site}' is given a backend twice", nameof(backendsBySite));
            }
        }
        _bySite = bySite.ToFrozenDictionary(StringComparer.Ordinal);
        _backends = [.. bySite.Values.Distinct(ReferenceEqualityComparer.Instance).Cast<IExecutionBackend>()];
        foreach (var backend in _backends)
        {
            backend.EventRaised += Forward; // once per instance, however many sites share it
        }
        Name = _backends.Length == 0 ? "none" : string.Join('+', _backends.Select(b => b.Name).Distinct(StringComparer.Ordinal));
    }

    /// <summary>The distinct names of the backends, joined ("local", "local+slurm").</summary>
    public string Name { get; }

    public event Action<BackendEvent>? EventRaised;

    /// <summary>The sites that have a backend.</summary>
    public IReadOnlyCollection<string> Sites => _bySite.Keys;

    public bool Serves(string site) => _bySite.ContainsKey(site);

    /// <summary>The backend of a site, or <see cref="UnknownSiteException"/>.</summary>
    public IExecutionBackend For(string site) =>
        _bySite.TryGetValue(site, out var backend) ? backend : throw new UnknownSiteException(site, _bySite.Keys);

    public Task<string> DispatchAsync(JobLaunch launch, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(launch);
        return For(launch.Site).DispatchAsync(launch, cancellationToken);
    }

    public Task StopAsync(JobRef job, StopKind kind, CancellationToken cancellationToken) =>
        For(job.Site).StopAsync(job, kind, cancellationToken);

    public Task<Reattachment> ReattachAsync(JobRef job, string? handle, CancellationToken cancellationToken) =>
        For(job.Site).ReattachAsync(job, handle, cancellationToken);

    public Task<string> ThrottleAsync(JobRef job, double powerFraction, double tdpWatts, CancellationToken cancellationToken) =>
        For(job.Site).ThrottleAsync(job, powerFraction, tdpWatts, cancellationToken);

    public Task<string> SetNodeDrainedAsync(string site, string pool, int node, bool drained, string reason, CancellationToken cancellationToken) =>
        For(site).SetNodeDrainedAsync(site, pool, node, drained, reason, cancellationToken);

    public Task<LogChunk> ReadLogAsync(string site, long jobId, LogStream stream, long offsetBytes, int maxBytes, CancellationToken cancellationToken) =>
        For(site).ReadLogAsync(site, jobId, stream, offsetBytes, maxBytes, cancellationToken);

    public Task<LogChunk> ReadLogAsync(JobLogFile file, long offsetBytes, int maxBytes, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(file);
        return For(file.Site).ReadLogAsync(file, offsetBytes, maxBytes, cancellationToken);
    }

    public int LookAheadGpus(string site, string pool) => _bySite.TryGetValue(site, out var backend) ? backend.LookAheadGpus(site, pool) : 0;

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }
        foreach (var backend in _backends)
        {
            backend.EventRaised -= Forward;
            (backend as IDisposable)?.Dispose();
        }
    }

    private void Forward(BackendEvent backendEvent) => EventRaised?.Invoke(backendEvent);
}
