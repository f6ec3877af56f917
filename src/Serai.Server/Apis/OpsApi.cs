using System.Globalization;
using System.Text;
using Dapper;
using Serai.Server.Control;
using Serai.Server.Jobs;
using Serai.Server.Leadership;
using Serai.Server.Persistence;

namespace Serai.Server.Apis;

/// <summary>`/healthz` and `/metrics` (Prometheus text format, written by hand); both open, like the scrape targets they are.</summary>
public static class OpsApi
{
    /// <summary>
    /// Health of the server's parts: <see cref="Writes"/> is "ok", or why the database refuses writes now; <see cref="Role"/>
    /// is leader or standby (a standby's control loop is "standby" and its job counts 0), <see cref="Leader"/> the leader's address.
    /// </summary>
    public sealed record Health(string Status, string Database, string ControlLoop, int PendingJobs, int RunningJobs, string Writes = "ok",
        string Role = "leader", string? Leader = null, string? Warning = null);

    public static void MapOpsApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/healthz", async (SeraiDatabase database, GroupCommitWriter writer, ControlLoop loop, ServerLeadership leadership, CancellationToken cancellationToken) =>
        {
            var db = "ok";
            try
            {
                await using var connection = await database.OpenAsync(cancellationToken);
                await connection.ExecuteScalarAsync<long>("select 1");
            }
            catch (Exception e) when (e is System.Data.Common.DbException or InvalidOperationException)
            {
                db = e.Message;
            }
            var role = leadership.Role;
            var ready = loop.Ready.IsCompletedSuccessfully ? "ok" : loop.Ready.IsFaulted ? "failed" : role == ServerRole.Standby ? "standby" : "starting";
            var snapshot = loop.Snapshot;
            var writes = writer.Refusal()?.Message ?? "ok";
            var serving = ready == "ok" || (ready == "standby" && leadership.LeaderUrl is not null);
            var health = new Health(db == "ok" && serving && writes == "ok" ? "ok" : "degraded", db, ready, snapshot.PendingJobs, snapshot.RunningJobs, writes,
                role.ToString().ToLowerInvariant(), leadership.LeaderUrl, leadership.Warning);
            return health.Status == "ok" ? Results.Ok(health) : Results.Json(health, statusCode: 503);
        }).AllowAnonymous().WithTags("Operations");
        app.MapGet("/metrics", (ControlLoop loop, SubmissionService submissions, GroupCommitWriter writer) =>
            Results.Text(Render(loop.Snapshot, submissions, writer), "text/plain; version=0.0.4; charset=utf-8"))
            .AllowAnonymous().WithTags("Operations");
    }

    public static string Render(HubSnapshot s, SubmissionService submissions, GroupCommitWriter writer)
    {
        var text = new StringBuilder();
        var c = s.Counters;
        Metric(text, "serai_jobs_submitted_total", "counter", "Jobs accepted by the API since start.", ("", submissions.Submitted));
        Metric(text, "serai_jobs", "gauge", "Jobs held by the control loop, by state.", ("state=\"pending\"", s.PendingJobs), ("state=\"running\"", s.RunningJobs));
        Metric(text, "serai_decisions_total", "counter", "Scheduler decisions applied since start, by kind.",
            ("kind=\"place\"", c.Placed), ("kind=\"preempt\"", c.Preempted), ("kind=\"reject\"", c.Rejected), ("kind=\"throttle\"", c.Throttled), ("kind=\"defer\"", c.Deferred));
        Metric(text, "serai_jobs_completed_total", "counter", "Jobs whose process ended since start.", ("", c.Completed));
        Metric(text, "serai_dispatch_failures_total", "counter", "Placed jobs the backend could not start.", ("", c.DispatchFailures));
        Metric(text, "serai_scheduler_cycles_total", "counter", "Scheduling cycles run.", ("", c.Cycles));
        Metric(text, "serai_scheduler_cycle_seconds_sum", "counter", "Total time spent in scheduling cycles.", ("", c.CycleSecondsSum));
        Metric(text, "serai_scheduler_last_cycle_seconds", "gauge", "Duration of the last scheduling cycle.", ("", c.LastCycleSeconds));
        Metric(text, "serai_db_commits_total", "counter", "Group commits (one transaction each).", ("", writer.Batches));
        Metric(text, "serai_db_writes_total", "counter", "Writes committed in group commits.", ("", writer.Items));
        Metric(text, "serai_site_it_watts", "gauge", "IT power drawn at a site now.", [.. s.Sites.Select(x => (Site(x), x.ItWatts))]);
        Metric(text, "serai_site_it_limit_watts", "gauge", "IT power allowed at a site now (cap, cooling, grid over PUE).", [.. s.Sites.Select(x => (Site(x), x.ItLimitWatts))]);
        Metric(text, "serai_site_pue", "gauge", "Power usage effectiveness at the outdoor temperature now.", [.. s.Sites.Select(x => (Site(x), x.Pue))]);
        Metric(text, "serai_site_outdoor_celsius", "gauge", "Outdoor temperature at a site.", [.. s.Sites.Select(x => (Site(x), x.OutdoorTemperatureC))]);
        Metric(text, "serai_site_carbon_g_per_kwh", "gauge", "Grid carbon intensity at a site.", [.. s.Sites.Select(x => (Site(x), x.CarbonGPerKwh))]);
        Metric(text, "serai_gpus", "gauge", "GPUs by site, model and state.", [.. s.Sites.SelectMany(x => x.Gpus.SelectMany(g => new[]
        {
            ($"{Site(x)},model=\"{Escape(g.Model)}\",state=\"used\"", (double)g.Used),
            ($"{Site(x)},model=\"{Escape(g.Model)}\",state=\"free\"", (double)g.Free),
        }))]);
        Metric(text, "serai_tenant_allocated_gpus", "gauge", "GPUs a tenant holds now.", [.. s.Tenants.Select(t => ($"tenant=\"{Escape(t.Name)}\"", (double)t.AllocatedGpus))]);
        Metric(text, "serai_tenant_fair_share", "gauge", "Usage against weighted entitlement (lower goes first).", [.. s.Tenants.Select(t => ($"tenant=\"{Escape(t.Name)}\"", t.FairShare))]);
        return text.ToString();
    }

    private static string Site(SiteNow s) => $"site=\"{Escape(s.Name)}\"";

    private static string Escape(string value) => value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal);

    private static void Metric(StringBuilder text, string name, string type, string help, params (string Labels, double Value)[] samples)
    {
        text.Append("# HELP ").Append(name).Append(' ').Append(help).Append('\n');
        text.Append("# TYPE ").Append(name).Append(' ').Append(type).Append('\n');
        foreach (var (labels, value) in samples)
        {
            text.Append(name);
            if (labels.Length > 0)
            {
                text.Append('{').Append(labels).Append('}');
            }
            text.Append(' ').Append(value.ToString("R", CultureInfo.InvariantCulture)).Append('\n');
        }
    }
}
