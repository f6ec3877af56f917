using System.Data.Common;
using Dapper;

namespace Serai.Server.Persistence;

/// <summary>One stretch of a job holding GPUs (start to end, preemption or completion), with its energy, carbon and cost.</summary>
public sealed record UsageSegment(long JobId, string Tenant, string Site, string Model, long StartUnix, long EndUnix, long Gpus, double GpuSeconds, double EnergyKwh, double Co2Kg, double CostUsd);

/// <summary>Totals of one tenant over a period.</summary>
public sealed record UsageTotals(string Tenant, double GpuSeconds, double EnergyKwh, double Co2Kg, double CostUsd, long Jobs);

/// <summary>Usage segments for accounting.</summary>
public sealed class UsageStore(SeraiDatabase database)
{
    public static void Append(DbConnection c, DbTransaction t, UsageSegment s) =>
        c.Execute(
            "insert into usage_segments (job_id, tenant, site, model, start_unix, end_unix, gpus, gpu_seconds, energy_kwh, co2_kg, cost_usd) values (@JobId, @Tenant, @Site, @Model, @StartUnix, @EndUnix, @Gpus, @GpuSeconds, @EnergyKwh, @Co2Kg, @CostUsd)",
            s, t);

    /// <summary>Totals per tenant of the segments that began in [from, to) (stretches are split at month boundaries).</summary>
    public async Task<IReadOnlyList<UsageTotals>> TotalsAsync(string? tenant, long fromUnix, long toUnix, CancellationToken cancellationToken)
    {
        var sql = "select tenant, sum(gpu_seconds) as gpu_seconds, sum(energy_kwh) as energy_kwh, sum(co2_kg) as co2_kg, sum(cost_usd) as cost_usd, count(distinct job_id) as jobs " +
            "from usage_segments where start_unix >= @fromUnix and start_unix < @toUnix" + (tenant is null ? "" : " and tenant = @tenant") + " group by tenant order by tenant";
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        var rows = await connection.QueryAsync<TotalsRow>(new CommandDefinition(sql, new { tenant, fromUnix, toUnix }, cancellationToken: cancellationToken)).ConfigureAwait(false);
        return rows.Select(r => new UsageTotals(r.Tenant, r.GpuSeconds, r.EnergyKwh, r.Co2Kg, r.CostUsd, r.Jobs)).ToList();
    }

    /// <summary>Which of <paramref name="jobIds"/> already have usage in [from, to) (so a job is counted once).</summary>
    public async Task<IReadOnlySet<long>> JobsWithUsageAsync(IReadOnlyCollection<long> jobIds, long fromUnix, long toUnix, CancellationToken cancellationToken)
    {
        if (jobIds.Count == 0)
        {
            return new HashSet<long>();
        }
        var match = database.Kind == DatabaseKind.Postgres ? "= any(@ids)" : "in @ids";
        var found = new HashSet<long>();
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        foreach (var chunk in jobIds.Chunk(1000)) // SQLite takes a bounded number of parameters per statement
        {
            var rows = await connection.QueryAsync<long>(new CommandDefinition(
                $"select distinct job_id from usage_segments where job_id {match} and start_unix >= @fromUnix and start_unix < @toUnix",
                new { ids = chunk, fromUnix, toUnix }, cancellationToken: cancellationToken)).ConfigureAwait(false);
            found.UnionWith(rows);
        }
        return found;
    }

    private sealed class TotalsRow
    {
        public string Tenant { get; set; } = "";
        public double GpuSeconds { get; set; }
        public double EnergyKwh { get; set; }
        public double Co2Kg { get; set; }
        public double CostUsd { get; set; }
        public long Jobs { get; set; }
    }
}
