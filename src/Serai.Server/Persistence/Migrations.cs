using Dapper;

namespace Serai.Server.Persistence;

/// <summary>Versioned schema migrations, applied in order at start; each runs once, in its own transaction.</summary>
public static class Migrations
{
    private static readonly (int Version, string Sql)[] All =
    [
        (1, """
            create table jobs (
              id bigint primary key,
              tenant text not null,
              name text,
              state text not null,
              priority text not null,
              gpus bigint not null,
              idempotency_key text,
              request_hash text not null,
              spec text not null,
              submit_unix bigint not null,
              admitted_unix bigint,
              started_unix bigint,
              ended_unix bigint,
              not_before_unix bigint,
              exit_code bigint,
              reason text,
              placement text,
              power_fraction {real},
              backend_handle text,
              site text,
              pool text,
              preemptions bigint not null default 0,
              updated_unix bigint not null
            );
            create unique index jobs_idempotency on jobs (tenant, idempotency_key);
            create index jobs_tenant on jobs (tenant, id);
            create index jobs_state on jobs (state, id);
            create table api_tokens (hash text primary key, tenant text, is_admin bigint not null, label text, created_unix bigint not null);
            create table audit (id {autoid}, at_unix bigint not null, kind text not null, job_id bigint, tenant text, code text, message text not null);
            create index audit_job on audit (job_id);
            create table usage_segments (
              id {autoid}, job_id bigint not null, tenant text not null, site text not null, model text not null,
              start_unix bigint not null, end_unix bigint not null, gpus bigint not null,
              gpu_seconds {real} not null, energy_kwh {real} not null, co2_kg {real} not null, cost_usd {real} not null
            );
            create index usage_tenant on usage_segments (tenant, end_unix);
            create table ai_systems (
              id text primary key, owner_tenant text not null, risk text not null, approved bigint not null,
              registered_unix bigint not null, approved_unix bigint
            );
            """),
        (2, """
            alter table jobs add column attempt bigint not null default 0;
            alter table jobs add column accounted_until_unix bigint;
            alter table jobs add column stop_cause text;
            alter table jobs add column first_started_unix bigint;
            create table tenant_usage (tenant text primary key, decayed_gpu_seconds {real} not null, as_of_unix bigint not null);
            create table sequences (name text primary key, value bigint not null);
            insert into sequences (name, value) select 'jobs', coalesce(max(id), 0) from jobs;
            """),
        // the dashboard's history: one row per site per sample, deleted after the retention period
        (3, """
            create table site_samples (
              site text not null, at_unix bigint not null,
              it_watts {real} not null, it_cap_watts {real} not null, cooling_limit_watts {real} not null,
              grid_it_limit_watts {real} not null, it_limit_watts {real} not null, facility_watts {real} not null,
              grid_watts {real} not null, pue {real} not null, outdoor_c {real} not null,
              carbon_g_per_kwh {real} not null, price_usd_per_kwh {real} not null,
              gpus_used bigint not null, gpus_total bigint not null, down bigint not null,
              primary key (site, at_unix)
            );
            create index site_samples_at on site_samples (at_unix);
            """),
        // job arrays (the array's id is its first task's job id); tokens that expire or are revoked, kept for the list
        (4, """
            alter table jobs add column array_job_id bigint;
            create index jobs_array on jobs (array_job_id, id);
            alter table api_tokens add column expires_unix bigint;
            alter table api_tokens add column revoked_unix bigint;
            """),
        // operator actions (overrides, drains, sites down, vendor cut-offs): replayed at start, so they survive a restart
        (5, """
            create table operations (
              id {autoid}, at_unix bigint not null, actor text not null, action text not null, target text not null,
              mode text, until_unix bigint, payload text, reason text not null
            );
            """),
    ];

    public static int Latest => All[^1].Version;

    /// <summary>Applies the missing migrations; returns how many ran.</summary>
    public static int Apply(SeraiDatabase database)
    {
        using var connection = database.OpenWriter();
        connection.Execute("create table if not exists schema_migrations (version bigint primary key, applied_unix bigint not null)");
        var applied = connection.Query<long>("select version from schema_migrations").ToHashSet();
        var ran = 0;
        foreach (var (version, sql) in All)
        {
            if (applied.Contains(version))
            {
                continue;
            }
            using var transaction = connection.BeginTransaction();
            connection.Execute(database.Dialect(sql), transaction: transaction);
            connection.Execute(
                "insert into schema_migrations (version, applied_unix) values (@version, @now)",
                new { version = (long)version, now = DateTimeOffset.UtcNow.ToUnixTimeSeconds() },
                transaction);
            transaction.Commit();
            ran++;
        }
        return ran;
    }
}
