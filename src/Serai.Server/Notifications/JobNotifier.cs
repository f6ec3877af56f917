using System.Net;
using System.Net.Sockets;
using System.Threading.Channels;
using Serai.Runtime.Journal;
using Serai.Runtime.Lifecycle;
using Serai.Server.Control;
using Serai.Server.Jobs;

namespace Serai.Server.Notifications;

/// <summary>What a job's webhook receives on each change of its state; nothing secret (no command, environment or token).</summary>
public sealed record JobNotification(long JobId, string? Name, string Tenant, string State, string Reason, DateTimeOffset At);

/// <summary>
/// Posts a job's state changes (started, ended, preempted or requeued) to the URL it was submitted with (<c>notify</c>).
/// The control loop only enqueues into bounded queues (full: dropped with a warning), a job's always into the same
/// one, so that its changes arrive in order; a worker per queue delivers with a
/// short timeout, a few retries with backoff, no redirects, and the addresses checked again when connecting.
/// </summary>
public sealed class JobNotifier : BackgroundService
{
    public const int QueueCapacity = 1024;
    private const int Workers = 4;
    private const int Attempts = 3;

    // one queue per worker, a job's notifications always on the same one: a webhook sees a job's changes in order
    private readonly Channel<(string Url, JobNotification Body)>[] _queues = [.. Enumerable.Range(0, Workers).Select(_ =>
        Channel.CreateBounded<(string, JobNotification)>(new BoundedChannelOptions(QueueCapacity / Workers) { FullMode = BoundedChannelFullMode.Wait }))];
    private readonly HttpClient _http;
    private readonly NotifyPolicy _policy;
    private readonly ILogger<JobNotifier> _logger;

    public JobNotifier(ControlLoop loop, NotifyPolicy policy, ILogger<JobNotifier> logger)
        : this(policy, logger) => loop.Transitioned = Enqueue;

    /// <summary>A notifier not hooked to a loop (tests enqueue moves themselves).</summary>
    public JobNotifier(NotifyPolicy policy, ILogger<JobNotifier> logger)
    {
        _policy = policy;
        _logger = logger;
        var handler = new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            UseProxy = false, // a proxy would resolve the name itself, past the address check
            ConnectTimeout = TimeSpan.FromSeconds(5),
            ConnectCallback = ConnectAsync,
        };
        _http = new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(5) };
    }

    /// <summary>Called on the control loop's thread after a batch of moves is written; never blocks.</summary>
    public void Enqueue(JobTransition move, JobRequest request)
    {
        if (request.Notify is not { } url || !Notable(move))
        {
            return;
        }
        var body = new JobNotification(move.Job.Value, request.Name, request.Tenant, JobPhaseStates.Of(move.To), move.Text,
            DateTimeOffset.FromUnixTimeSeconds(move.AtUnix));
        if (!_queues[(int)((ulong)body.JobId % Workers)].Writer.TryWrite((url, body)))
        {
            _logger.LogWarning("notify: queue full ({Capacity}); dropped job {Job}'s {State} notification", QueueCapacity, body.JobId, body.State);
        }
    }

    /// <summary>Started, ended (any final state), preempted or requeued; not the steps between (placed, dispatched).</summary>
    public static bool Notable(JobTransition move) =>
        move.To == JobPhase.Running || move.To.IsFinal() || move.Preempted || move.Action is "requeue" or "preempt";

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(_queues.Select(queue => WorkAsync(queue.Reader, stoppingToken)));

    private async Task WorkAsync(ChannelReader<(string Url, JobNotification Body)> queue, CancellationToken stoppingToken)
    {
        try
        {
            await foreach (var (url, body) in queue.ReadAllAsync(stoppingToken).ConfigureAwait(false))
            {
                await DeliverAsync(url, body, stoppingToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // shutting down: undelivered notifications are dropped
        }
    }

    private async Task DeliverAsync(string url, JobNotification body, CancellationToken stoppingToken)
    {
        for (var attempt = 1; attempt <= Attempts; attempt++)
        {
            string failure;
            try
            {
                using var response = await _http.PostAsJsonAsync(url, body, stoppingToken).ConfigureAwait(false);
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
                failure = $"HTTP {(int)response.StatusCode}";
                if ((int)response.StatusCode < 500 && response.StatusCode != HttpStatusCode.TooManyRequests)
                {
                    attempt = Attempts; // a redirect or a client error will not get better
                }
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
                // any failure (network, timeout, a URL the client will not send) ends in a log line, never in a dead worker
                failure = e.InnerException is RefusedAddressException refused ? refused.Message : e.Message;
                if (e.InnerException is RefusedAddressException)
                {
                    attempt = Attempts;
                }
            }
            if (attempt >= Attempts)
            {
                _logger.LogWarning("notify: job {Job}'s {State} notification not delivered: {Failure}", body.JobId, body.State, failure);
                return;
            }
            await Task.Delay(TimeSpan.FromSeconds(attempt * 2), stoppingToken).ConfigureAwait(false);
        }
    }

    /// <summary>Resolves the host and connects only if no address is refused (a name that resolves elsewhere later, DNS rebinding, is caught here).</summary>
    private async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, CancellationToken cancellationToken)
    {
        var host = context.DnsEndPoint.Host;
        var addresses = IPAddress.TryParse(host.Trim('[', ']'), out var literal) ? [literal] : await Dns.GetHostAddressesAsync(host, cancellationToken).ConfigureAwait(false);
        if (!_policy.Allows(host) && addresses.FirstOrDefault(a => NotifyPolicy.Forbidden(a) && !_policy.Allows(a.ToString())) is { } refused)
        {
            throw new RefusedAddressException($"{host} resolves to {refused}, a loopback, link-local, private or unspecified address (allow it with Serai:NotifyAllowedHosts)");
        }
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(addresses, context.DnsEndPoint.Port, cancellationToken).ConfigureAwait(false);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    public override void Dispose()
    {
        _http.Dispose();
        base.Dispose();
    }

    private sealed class RefusedAddressException(string message) : Exception(message);
}
