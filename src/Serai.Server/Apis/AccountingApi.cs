using System.Globalization;
using Microsoft.AspNetCore.Http.HttpResults;
using Serai.Server.Auth;
using Serai.Server.Control;
using Serai.Server.Persistence;

namespace Serai.Server.Apis;

/// <summary>
/// `/api/v1/accounting`: per tenant and period, GPU-hours, facility kWh, tonnes of CO2 and cost, priced hour by hour.
/// Usage is booked in stretches split at month boundaries; a stretch counts in the period where it began, and running
/// jobs count up to now. A job is counted once per period however many stretches it has.
/// </summary>
public static class AccountingApi
{
    /// <summary>One tenant's totals over the period.</summary>
    public sealed record TenantAccount(string Tenant, double GpuHours, double EnergyKwh, double Co2Tonnes, double CostUsd, long Jobs);

    /// <summary>The period [from, to) and each tenant's totals.</summary>
    public sealed record Accounting(long FromUnix, long ToUnix, IReadOnlyList<TenantAccount> Tenants);

    public static RouteGroupBuilder MapAccountingApi(this RouteGroupBuilder api)
    {
        api.MapGet("/accounting", GetAsync).WithTags("Accounting")
            .WithSummary("Usage per tenant per period: from/to as ISO dates or Unix seconds, or period=YYYY-MM (default: this month)")
            .WithName("GetAccounting").ProducesProblem(StatusCodes.Status401Unauthorized);
        return api;
    }

    private static async Task<Results<Ok<Accounting>, ValidationProblem>> GetAsync(
        HttpContext context, UsageStore usage, HubHolder hubs, ControlLoop loop, TimeProvider time, string? from, string? to, string? period, string? tenant)
    {
        var caller = Caller.From(context.User);
        var errors = new FieldErrors();
        var now = time.GetUtcNow();
        var monthStart = new DateTimeOffset(now.Year, now.Month, 1, 0, 0, 0, TimeSpan.Zero);
        long fromUnix = monthStart.ToUnixTimeSeconds(), toUnix = monthStart.AddMonths(1).ToUnixTimeSeconds();
        if (period is not null)
        {
            if (!DateTimeOffset.TryParseExact(period, "yyyy-MM", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var month))
            {
                errors.Add("period", $"'{ApiIds.Trim(period)}' is not a month; give YYYY-MM, e.g. 2026-11");
            }
            else if (month.Year == 9999 && month.Month == 12)
            {
                // the month's end is past the last instant DateTimeOffset holds
                errors.Add("period", $"'{ApiIds.Trim(period)}' ends after the last date this server can count to; give a month up to 9999-11");
            }
            else
            {
                (fromUnix, toUnix) = (month.ToUnixTimeSeconds(), month.AddMonths(1).ToUnixTimeSeconds());
            }
        }
        fromUnix = Instant(from, "from", fromUnix, errors);
        toUnix = Instant(to, "to", toUnix, errors);
        if (!errors.Any && toUnix <= fromUnix)
        {
            errors.Add("to", $"{toUnix} is not after from={fromUnix}; the period must not be empty");
        }
        if (tenant is not null && hubs.Hub.TenantIndex(tenant) is null)
        {
            errors.Add("tenant", $"'{ApiIds.Trim(tenant)}' is not a tenant of this hub");
        }
        if (errors.Any)
        {
            return errors.ToProblem("invalid accounting query");
        }
        var who = caller.IsAdmin ? tenant : caller.Tenant;
        var name = who is null ? null : hubs.Hub.Tenants[hubs.Hub.TenantIndex(who)!.Value].Name;
        var finished = await usage.TotalsAsync(name, fromUnix, toUnix, context.RequestAborted);
        var snapshot = loop.Snapshot;
        var running = snapshot.RunningUsage
            .Where(s => (name is null || s.Tenant == name) && s.StartUnix >= fromUnix && s.StartUnix < toUnix && s.EndUnix > s.StartUnix)
            .ToList();
        var counted = await usage.JobsWithUsageAsync(running.Select(s => s.JobId).ToHashSet(), fromUnix, toUnix, context.RequestAborted);
        var accounts = finished.Select(t => t.Tenant).Union(running.Select(s => s.Tenant)).Order(StringComparer.Ordinal).Select(t =>
        {
            var done = finished.FirstOrDefault(f => f.Tenant == t) ?? new UsageTotals(t, 0, 0, 0, 0, 0);
            var now = running.Where(s => s.Tenant == t).ToList();
            return new TenantAccount(t,
                (done.GpuSeconds + now.Sum(s => s.GpuSeconds)) / 3600.0,
                done.EnergyKwh + now.Sum(s => s.EnergyKwh),
                (done.Co2Kg + now.Sum(s => s.Co2Kg)) / 1000.0,
                done.CostUsd + now.Sum(s => s.CostUsd),
                done.Jobs + now.Select(s => s.JobId).Distinct().Count(id => !counted.Contains(id)));
        }).ToList();
        return TypedResults.Ok(new Accounting(fromUnix, toUnix, accounts));
    }

    private static long Instant(string? text, string field, long fallback, FieldErrors errors)
    {
        if (text is null)
        {
            return fallback;
        }
        if (long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var unix))
        {
            return unix;
        }
        if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at))
        {
            return at.ToUnixTimeSeconds();
        }
        errors.Add(field, $"'{ApiIds.Trim(text)}' is not a date; give YYYY-MM-DD, ISO 8601 or Unix seconds");
        return fallback;
    }
}
