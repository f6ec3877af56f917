using Serai.Core.Jobs;
using Serai.Runtime.Lifecycle;
using Serai.Simulation.Engine;

namespace Serai.Simulation.Metrics;

/// <summary>
/// Watches a run and integrates what it needs for the summary and sites.csv: IT and facility energy, carbon and
/// cost per site, busy GPU-seconds per site and tenant, an hourly row per site and the hourly queue length.
/// </summary>
public sealed class MetricsCollector : ISimulationObserver
{
    private SiteHour[] _current = [];
    private long[] _busyMilli = []; // thousandths of a GPU: jobs that share a GPU count their share
    private long[] _runStart = [];

    public List<SiteHour> Hours { get; } = [];
    public List<HubHour> HubHours { get; } = [];
    public double[] ItJoules { get; private set; } = [];
    public double[] FacilityJoules { get; private set; } = [];
    public double[] CarbonGrams { get; private set; } = [];
    public double[] CostUsd { get; private set; } = [];
    public double[] BusyGpuSeconds { get; private set; } = [];
    public double[] TenantGpuSeconds { get; private set; } = [];
    public long StartUnix { get; private set; }
    public long EndUnix { get; private set; }

    /// <summary>Seconds during which at least one job waited in the queue (the busy window).</summary>
    public double WaitingSeconds { get; private set; }

    /// <summary>Busy GPU-seconds of the whole hub within <see cref="WaitingSeconds"/>.</summary>
    public double WaitingBusyGpuSeconds { get; private set; }

    private void Init(Simulator sim)
    {
        var sites = sim.Hub.Sites.Length;
        ItJoules = new double[sites];
        FacilityJoules = new double[sites];
        CarbonGrams = new double[sites];
        CostUsd = new double[sites];
        BusyGpuSeconds = new double[sites];
        TenantGpuSeconds = new double[sim.Hub.Tenants.Length];
        _busyMilli = new long[sites];
        _runStart = new long[sim.Workload.Count];
        StartUnix = EndUnix = sim.NowUnix;
        _current = new SiteHour[sites];
        OpenHour(sim, sim.NowUnix / 3600 * 3600);
    }

    public void OnAdvance(Simulator sim, long fromUnix, long toUnix)
    {
        if (_current.Length == 0)
        {
            Init(sim);
        }
        var dt = toUnix - fromUnix;
        if (sim.PendingCount > 0)
        {
            // the queue as the last timestamp left it holds for the whole interval
            WaitingSeconds += dt;
            WaitingBusyGpuSeconds += _busyMilli.Sum() / (double)Gpu.Milli * dt;
        }
        for (var s = 0; s < _current.Length; s++)
        {
            var c = sim.Ledger.Current(s);
            var it = sim.State.SiteItWatts(s);
            var joules = it * dt;
            ItJoules[s] += joules;
            FacilityJoules[s] += joules * c.Pue;
            CarbonGrams[s] += joules * c.Pue / 3.6e6 * c.CarbonGPerKwh;
            CostUsd[s] += joules * c.Pue / 3.6e6 * c.PriceUsdPerKwh;
            BusyGpuSeconds[s] += _busyMilli[s] / (double)Gpu.Milli * dt;
            var row = _current[s];
            row.ItJoules += joules;
            row.FacilityJoules += joules * c.Pue;
            row.BusyGpuSeconds += _busyMilli[s] / (double)Gpu.Milli * dt;
            row.Seconds += dt;
        }
        EndUnix = toUnix;
    }

    public void OnHour(Simulator sim, long hourUnix)
    {
        if (_current.Length == 0)
        {
            Init(sim);
        }
        Hours.AddRange(_current);
        OpenHour(sim, hourUnix);
        HubHours.Add(new HubHour(hourUnix, sim.PendingCount, sim.State.Running.Count, Gpus(_busyMilli.Sum())));
    }

    public void OnJobStarted(Simulator sim, int job, long nowUnix)
    {
        if (_current.Length == 0)
        {
            Init(sim);
        }
        _busyMilli[sim.Hub.Pools[sim.Jobs.Pool[job]].Site] += sim.Workload.Jobs[job].GpuShareMilli;
        _runStart[job] = nowUnix;
    }

    public void OnJobStopped(Simulator sim, int job, long nowUnix, StopCause cause)
    {
        var spec = sim.Workload.Jobs[job];
        _busyMilli[sim.Hub.Pools[sim.Jobs.Pool[job]].Site] -= spec.GpuShareMilli;
        TenantGpuSeconds[spec.Tenant] += spec.GpuShare * (nowUnix - _runStart[job]);
    }

    public void OnTimestampDone(Simulator sim, long nowUnix)
    {
        if (_current.Length == 0)
        {
            Init(sim);
        }
        for (var s = 0; s < _current.Length; s++)
        {
            var row = _current[s];
            var c = sim.Ledger.Current(s);
            var it = sim.State.SiteItWatts(s);
            row.ItWattsMax = Math.Max(row.ItWattsMax, it);
            row.FacilityWattsMax = Math.Max(row.FacilityWattsMax, it * c.Pue);
            row.GpusBusyMax = Math.Max(row.GpusBusyMax, Gpus(_busyMilli[s]));
            row.ItLimitWatts = Math.Min(row.ItLimitWatts, c.ItLimitWatts);
            row.ItCapWatts = Math.Min(row.ItCapWatts, c.ItCapWatts);
            row.GridWatts = Math.Min(row.GridWatts, c.GridWatts);
            row.OutdoorC = Math.Max(row.OutdoorC, c.TemperatureC);
            row.Pue = Math.Max(row.Pue, c.Pue);
        }
    }

    public void OnFinished(Simulator sim)
    {
        if (_current.Length == 0)
        {
            Init(sim);
        }
        if (_current[0].Seconds > 0)
        {
            Hours.AddRange(_current);
        }
    }

    private void OpenHour(Simulator sim, long hourUnix)
    {
        for (var s = 0; s < _current.Length; s++)
        {
            var site = sim.Hub.Sites[s];
            var c = sim.Ledger.Current(s);
            _current[s] = new SiteHour
            {
                HourUnix = hourUnix,
                Site = s,
                OutdoorC = c.TemperatureC,
                Pue = c.Pue,
                CarbonGPerKwh = c.CarbonGPerKwh,
                PriceUsdPerKwh = c.PriceUsdPerKwh,
                ItCapWatts = c.ItCapWatts,
                ItLimitWatts = c.ItLimitWatts,
                GridWatts = c.GridWatts,
                IdleItWatts = site.PoolIndexes.Sum(p => sim.Hub.Pools[p].IdleWatts),
                GpusTotal = site.PoolIndexes.Sum(p => sim.Hub.Pools[p].Gpus),
            };
        }
    }

    /// <summary>Busy GPUs, a GPU partly used by sharers counted as one.</summary>
    private static int Gpus(long milli) => (int)((milli + Gpu.Milli - 1) / Gpu.Milli);
}
