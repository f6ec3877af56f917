using Dapper;
using Serai.Server.Persistence;

namespace Serai.Server.Dashboard;

/// <summary>The `site_samples` table (migration 3): written by <see cref="SeriesSampler"/>, read by the series endpoint.</summary>
public sealed class SeriesStore(SeraiDatabase database, GroupCommitWriter writer)
{
    private const string Columns = "site, at_unix, it_watts, it_cap_watts, cooling_limit_watts, grid_it_limit_watts, it_limit_watts, facility_watts, grid_watts, pue, outdoor_c, carbon_g_per_kwh, price_usd_per_kwh, gpus_used, gpus_total, down";

    /// <summary>Most samples one answer carries; longer ranges are thinned evenly.</summary>
    public const int MaxPoints = 2000;

    public Task AppendAsync(IReadOnlyList<SiteSample> samples) =>
        writer.WriteAsync((c, t) =>
        {
            foreach (var s in samples)
            {
                c.Execute(
                    $"insert into site_samples ({Columns}) values (@Site, @AtUnix, @ItWatts, @ItCapWatts, @CoolingLimitWatts, @GridItLimitWatts, @ItLimitWatts, @FacilityWatts, @GridWatts, @Pue, @OutdoorC, @CarbonGPerKwh, @PriceUsdPerKwh, @GpusUsed, @GpusTotal, @down) on conflict (site, at_unix) do nothing",
                    new { s.Site, s.AtUnix, s.ItWatts, s.ItCapWatts, s.CoolingLimitWatts, s.GridItLimitWatts, s.ItLimitWatts, s.FacilityWatts, s.GridWatts, s.Pue, s.OutdoorC, s.CarbonGPerKwh, s.PriceUsdPerKwh, s.GpusUsed, s.GpusTotal, down = s.Down ? 1L : 0L }, t);
            }
        });

    public Task<int> DeleteBeforeAsync(long beforeUnix) =>
        writer.WriteAsync((c, t) => c.Execute("delete from site_samples where at_unix < @beforeUnix", new { beforeUnix }, t));

    /// <summary>Samples of a site in [from, to], oldest first, thinned to at most <see cref="MaxPoints"/>.</summary>
    public async Task<IReadOnlyList<SiteSample>> RangeAsync(string site, long fromUnix, long toUnix, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        var rows = (await connection.QueryAsync<Row>(new CommandDefinition(
            $"select {Columns} from site_samples where site = @site and at_unix >= @fromUnix and at_unix <= @toUnix order by at_unix",
            new { site, fromUnix, toUnix }, cancellationToken: cancellationToken)).ConfigureAwait(false)).AsList();
        var step = Math.Max(1, (rows.Count + MaxPoints - 1) / MaxPoints);
        return rows.Where((_, i) => i % step == 0 || i == rows.Count - 1).Select(r => r.ToSample()).ToList();
    }

    private sealed class Row
    {
        public string Site { get; set; } = "";
        public long AtUnix { get; set; }
        public double ItWatts { get; set; }
        public double ItCapWatts { get; set; }
        public double CoolingLimitWatts { get; set; }
        public double GridItLimitWatts { get; set; }
        public double ItLimitWatts { get; set; }
        public double FacilityWatts { get; set; }
        public double GridWatts { get; set; }
        public double Pue { get; set; }
        public double OutdoorC { get; set; }
        public double CarbonGPerKwh { get; set; }
        public double PriceUsdPerKwh { get; set; }
        public long GpusUsed { get; set; }
        public long GpusTotal { get; set; }
        public long Down { get; set; }

        public SiteSample ToSample() => new(Site, AtUnix, ItWatts, ItCapWatts, CoolingLimitWatts, GridItLimitWatts, ItLimitWatts, FacilityWatts, GridWatts, Pue, OutdoorC, CarbonGPerKwh, PriceUsdPerKwh, GpusUsed, GpusTotal, Down != 0);
    }
}
