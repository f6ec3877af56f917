using Serai.Core.Model;
using Serai.Server.Control;

namespace Serai.Server.Dashboard;

/// <summary>
/// Reads the control loop's published snapshot every <see cref="DashboardOptions.SampleSeconds"/> and stores one
/// sample per site; deletes samples older than the retention period. It only reads the snapshot, never the runtime.
/// </summary>
public sealed class SeriesSampler(ControlLoop loop, HubHolder hubs, SeriesStore store, DashboardOptions options, TimeProvider time, ILogger<SeriesSampler> logger)
    : BackgroundService
{
    private long _lastSampleUnix;
    private long _lastPruneUnix;

    /// <summary>One sample per site of a snapshot, with the limits the snapshot does not carry worked out from the hub model.</summary>
    public static IReadOnlyList<SiteSample> From(HubSnapshot snapshot, HubModel hub) =>
        snapshot.Sites.Select(s =>
        {
            var site = hub.Sites.FirstOrDefault(x => x.Name == s.Name);
            var cooling = site is null ? s.ItLimitWatts : site.Cooling.CapacityAt(s.OutdoorTemperatureC);
            var gridIt = s.Pue > 0 ? s.GridWatts / s.Pue : s.GridWatts;
            return new SiteSample(s.Name, snapshot.AtUnix, s.ItWatts, s.ItCapWatts, cooling, gridIt, s.ItLimitWatts, s.FacilityWatts, s.GridWatts,
                s.Pue, s.OutdoorTemperatureC, s.CarbonGPerKwh, s.PriceUsdPerKwh, s.Gpus.Sum(g => g.Used), s.Gpus.Sum(g => g.Total), s.Down);
        }).ToList();

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await loop.Ready.WaitAsync(stoppingToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            return; // the loop failed to start and says so itself
        }
        var interval = TimeSpan.FromSeconds(Math.Max(0.2, options.SampleSeconds));
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await SampleOnceAsync().ConfigureAwait(false);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // a failed write loses one sample, not the sampler
                logger.LogWarning("dashboard sampler: {Message}", e.Message);
            }
            await Task.Delay(interval, time, stoppingToken).ConfigureAwait(false);
        }
    }

    /// <summary>Stores the current snapshot's sites (once per snapshot instant) and prunes old samples hourly.</summary>
    public async Task SampleOnceAsync()
    {
        var snapshot = loop.Snapshot;
        var now = time.GetUtcNow().ToUnixTimeSeconds();
        // the snapshot's instant is the last step; between steps the hub has not changed, so stamp the sample now
        var at = Math.Max(snapshot.AtUnix, now);
        if (snapshot.AtUnix > 0 && at > _lastSampleUnix)
        {
            _lastSampleUnix = at;
            await store.AppendAsync(From(snapshot with { AtUnix = at }, hubs.Hub)).ConfigureAwait(false);
        }
        if (now - _lastPruneUnix >= 3600)
        {
            _lastPruneUnix = now;
            await store.DeleteBeforeAsync(now - (long)(options.RetentionDays * 86400)).ConfigureAwait(false);
        }
    }
}
