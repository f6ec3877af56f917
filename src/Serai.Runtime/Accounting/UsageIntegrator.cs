using Serai.Core.Jobs;
using Serai.Core.Model;
using Serai.Runtime.Book;

namespace Serai.Runtime.Accounting;

/// <summary>
/// Accounting, once for the simulator and the server: each running job has an open stretch at the IT power it has
/// now (its own GPUs at their allowed fraction of TDP, plus its share of the node overhead); closing it books the
/// energy at each hour's PUE, carbon intensity and price into the job's totals and returns the stretch.
/// </summary>
public sealed class UsageIntegrator(HubModel hub, JobBook book, SiteLedger ledger)
{
    /// <summary>
    /// IT power of a running job: its GPUs (at most its placement's) at the fraction, plus node overhead per GPU held.
    /// A job that shares a GPU books its share (thousandths) of that GPU's power and overhead, so a shared GPU is
    /// counted once over its sharers, never once per sharer.
    /// </summary>
    public static (double GpuWatts, double ItWatts) PowerOf(HubModel hub, RunningJob job)
    {
        var pool = hub.Pools[job.Placement.Pool];
        var gpuWatts = Core.State.HubState.PowerGpus(job) * pool.Accelerator.TdpWatts * job.PowerFraction;
        var held = job.Spec.SharesGpu ? job.Spec.GpuShare : job.Placement.Gpus;
        var overhead = held * pool.NodeOverheadWatts / Math.Max(1, pool.GpusPerNode);
        return (gpuWatts, gpuWatts + overhead);
    }

    /// <summary>Opens a stretch at <paramref name="nowUnix"/> at the job's power now.</summary>
    public void Open(int slot, RunningJob job, long nowUnix)
    {
        var (gpuWatts, itWatts) = PowerOf(hub, job);
        var site = hub.Pools[job.Placement.Pool].Site;
        book.GpuWatts[slot] = (float)gpuWatts;
        book.ItWatts[slot] = (float)itWatts;
        book.StretchStartUnix[slot] = nowUnix;
        book.PueMark[slot] = ledger.PueMark(site);
        book.CarbonMark[slot] = ledger.CarbonMark(site);
        book.PriceMark[slot] = ledger.PriceMark(site);
    }

    /// <summary>Opens a stretch that began at <paramref name="fromUnix"/>, before the ledger's marks (after a restart).</summary>
    public void OpenBackdated(int slot, RunningJob job, long fromUnix, long nowUnix, Core.State.HubState state)
    {
        Open(slot, job, nowUnix);
        var site = hub.Pools[job.Placement.Pool].Site;
        var (pue, carbon, price) = SiteLedger.Integrate(state, site, fromUnix, nowUnix);
        book.StretchStartUnix[slot] = fromUnix;
        book.PueMark[slot] -= pue;
        book.CarbonMark[slot] -= carbon;
        book.PriceMark[slot] -= price;
    }

    /// <summary>
    /// What the open stretch used up to <paramref name="nowUnix"/>, without closing it; with <paramref name="parts"/>,
    /// also split at each month boundary inside it (the parts add up to the total).
    /// </summary>
    public UsageStretch Peek(int slot, RunningJob job, long nowUnix, List<UsageStretch>? parts = null)
    {
        var site = hub.Pools[job.Placement.Pool].Site;
        var start = book.StretchStartUnix[slot];
        var total = Part(slot, job, start, Math.Max(start, nowUnix), book.PueMark[slot], book.CarbonMark[slot], book.PriceMark[slot],
            ledger.PueMark(site), ledger.CarbonMark(site), ledger.PriceMark(site));
        if (parts is null)
        {
            return total;
        }
        var months = ledger.Months;
        var first = months.Count;
        while (first > 0 && months[first - 1].AtUnix > start)
        {
            first--;
        }
        if (first == months.Count || months[first].AtUnix >= nowUnix)
        {
            parts.Add(total);
            return total;
        }
        var (from, pue, carbon, price) = (start, book.PueMark[slot], book.CarbonMark[slot], book.PriceMark[slot]);
        for (var m = first; m < months.Count && months[m].AtUnix < nowUnix; m++)
        {
            var b = months[m];
            parts.Add(Part(slot, job, from, b.AtUnix, pue, carbon, price, b.Pue[site], b.Carbon[site], b.Price[site]));
            (from, pue, carbon, price) = (b.AtUnix, b.Pue[site], b.Carbon[site], b.Price[site]);
        }
        parts.Add(Part(slot, job, from, nowUnix, pue, carbon, price, ledger.PueMark(site), ledger.CarbonMark(site), ledger.PriceMark(site)));
        return total;
    }

    /// <summary>Books the open stretch into the job's totals and opens the next one at <paramref name="nowUnix"/>.</summary>
    public UsageStretch Close(int slot, RunningJob job, long nowUnix, List<UsageStretch>? parts = null)
    {
        var s = Peek(slot, job, nowUnix, parts);
        book.ItJoules[slot] += s.ItKwh * 3.6e6;
        book.FacilityJoules[slot] += s.FacilityKwh * 3.6e6;
        book.CarbonGrams[slot] += s.Co2Kg * 1000;
        book.CostUsd[slot] += s.CostUsd;
        book.GpuSeconds[slot] += s.GpuSeconds;
        var site = hub.Pools[job.Placement.Pool].Site;
        book.StretchStartUnix[slot] = nowUnix;
        book.PueMark[slot] = ledger.PueMark(site);
        book.CarbonMark[slot] = ledger.CarbonMark(site);
        book.PriceMark[slot] = ledger.PriceMark(site);
        return s;
    }

    private UsageStretch Part(int slot, RunningJob job, long from, long to, double pue0, double carbon0, double price0, double pue1, double carbon1, double price1)
    {
        var pool = hub.Pools[job.Placement.Pool];
        var watts = (double)book.ItWatts[slot];
        var gpus = job.Placement.Gpus;
        var dt = Math.Max(0, to - from);
        return new UsageStretch(job.Id.Value, job.Spec.Tenant, pool.Site, pool.Accelerator.Index, from, Math.Max(from, to), gpus,
            (job.Spec.SharesGpu ? job.Spec.GpuShare : gpus) * dt, watts * dt / 3.6e6, watts * (pue1 - pue0) / 3.6e6, watts / 3.6e6 * (carbon1 - carbon0) / 1000, watts / 3.6e6 * (price1 - price0));
    }

    /// <summary>First instant of the UTC month after <paramref name="unix"/>.</summary>
    public static long NextMonthUnix(long unix)
    {
        var d = DateTimeOffset.FromUnixTimeSeconds(unix);
        return new DateTimeOffset(d.Year, d.Month, 1, 0, 0, 0, TimeSpan.Zero).AddMonths(1).ToUnixTimeSeconds();
    }
}
