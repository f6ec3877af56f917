using Dapper;
using Serai.Server.Persistence;

namespace Serai.Server.Dashboard;

/// <summary>A throttle, preemption or deferral to mark on a chart.</summary>
public sealed record ChartEvent(long AtUnix, string Kind, long? JobId, string? Tenant, string Message);

/// <summary>One job's use so far: GPU-hours, facility energy, carbon and cost.</summary>
public sealed record JobUsage(double GpuHours, double EnergyKwh, double Co2Kg, double CostUsd);

/// <summary>Read-only queries the dashboard needs beyond the API's stores.</summary>
public sealed class DashboardQueries(SeraiDatabase database)
{
    /// <summary>Audit kinds marked on the power chart.</summary>
    public static readonly string[] MarkedKinds = ["throttle", "preempt", "defer"];

    /// <summary>Throttles, preemptions and deferrals in [from, to] of jobs at the site (or naming it), oldest first.</summary>
    public async Task<IReadOnlyList<ChartEvent>> EventsAsync(string? site, string? tenant, long fromUnix, long toUnix, CancellationToken cancellationToken)
    {
        var sql = "select a.at_unix, a.kind, a.job_id, a.tenant, a.message from audit a left join jobs j on j.id = a.job_id " +
            "where a.at_unix >= @fromUnix and a.at_unix <= @toUnix and a.kind in ('throttle', 'preempt', 'defer')" +
            (site is null ? "" : " and (j.site = @site or a.message like @like)") +
            (tenant is null ? "" : " and a.tenant = @tenant") + " order by a.id limit 5000";
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        var rows = await connection.QueryAsync<(long AtUnix, string Kind, long? JobId, string? Tenant, string Message)>(new CommandDefinition(
            sql, new { site, like = $"%{site}%", tenant, fromUnix, toUnix }, cancellationToken: cancellationToken)).ConfigureAwait(false);
        return rows.Select(r => new ChartEvent(r.AtUnix, r.Kind, r.JobId, r.Tenant, r.Message)).ToList();
    }

    /// <summary>Counts of throttles, preemptions and deferrals since <paramref name="sinceUnix"/>, by site and kind.</summary>
    public async Task<IReadOnlyDictionary<(string Site, string Kind), long>> RecentEventCountsAsync(string? tenant, long sinceUnix, CancellationToken cancellationToken)
    {
        var sql = "select coalesce(j.site, '') as site, a.kind, count(*) as n from audit a left join jobs j on j.id = a.job_id " +
            "where a.at_unix >= @sinceUnix and a.kind in ('throttle', 'preempt', 'defer')" + (tenant is null ? "" : " and a.tenant = @tenant") + " group by coalesce(j.site, ''), a.kind";
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        var rows = await connection.QueryAsync<(string Site, string Kind, long N)>(new CommandDefinition(sql, new { tenant, sinceUnix }, cancellationToken: cancellationToken)).ConfigureAwait(false);
        return rows.ToDictionary(r => (r.Site, r.Kind), r => r.N);
    }

    /// <summary>Jobs by site and state (pending jobs have no site: they count under "").</summary>
    public async Task<IReadOnlyDictionary<(string Site, string State), long>> JobCountsAsync(string? tenant, CancellationToken cancellationToken)
    {
        var sql = "select coalesce(site, '') as site, state, count(*) as n from jobs where state in ('pending', 'admitted', 'starting', 'running', 'stopping')" +
            (tenant is null ? "" : " and tenant = @tenant") + " group by coalesce(site, ''), state";
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        var rows = await connection.QueryAsync<(string Site, string State, long N)>(new CommandDefinition(sql, new { tenant }, cancellationToken: cancellationToken)).ConfigureAwait(false);
        return rows.ToDictionary(r => (r.Site, r.State), r => r.N);
    }

    /// <summary>A job's booked usage (closed stretches) plus its running stretch from the snapshot.</summary>
    public async Task<JobUsage> JobUsageAsync(long jobId, IEnumerable<UsageSegment> running, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        var done = await connection.QueryFirstAsync<(double GpuSeconds, double EnergyKwh, double Co2Kg, double CostUsd)>(new CommandDefinition(
            "select coalesce(sum(gpu_seconds), 0), coalesce(sum(energy_kwh), 0), coalesce(sum(co2_kg), 0), coalesce(sum(cost_usd), 0) from usage_segments where job_id = @jobId",
            new { jobId }, cancellationToken: cancellationToken)).ConfigureAwait(false);
        var now = running.Where(s => s.JobId == jobId).ToList();
        return new JobUsage((done.GpuSeconds + now.Sum(s => s.GpuSeconds)) / 3600, done.EnergyKwh + now.Sum(s => s.EnergyKwh), done.Co2Kg + now.Sum(s => s.Co2Kg), done.CostUsd + now.Sum(s => s.CostUsd));
    }
}
