using System.Net;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Serai.Server.Persistence;

namespace Serai.Server.Tests;

/// <summary>The jobs API against a real database; run once on SQLite and once on PostgreSQL.</summary>
public abstract class JobsApiContract(ServerFixture fixture)
{
    private SeraiFactory? Factory => fixture.Factory;

    private static object Job(string name, int gpus = 1) => new { command = (string[])["sleep", "60"], gpus, name, time = "10:00" };

    [Fact]
    public async Task Submit_answers_201_only_after_the_job_is_committed()
    {
        if (Factory is null)
        {
            return;
        }
        var alpha = Factory.Client(SeraiFactory.AlphaToken);
        var response = await alpha.SubmitAsync(Job("committed"));
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var id = (await response.JsonAsync()).GetProperty("id").GetInt64();
        Assert.Equal($"/api/v1/jobs/{id}", response.Headers.Location!.ToString());
        using var connection = Factory.Services.GetRequiredService<SeraiDatabase>().Open();
        Assert.Equal("alpha", connection.ExecuteScalar<string>("select tenant from jobs where id = @id", new { id }));
    }

    [Fact]
    public async Task An_array_of_more_tasks_than_one_insert_statement_holds_is_stored_whole_with_consecutive_ids()
    {
        if (Factory is null)
        {
            return;
        }
        // 450 tasks: on PostgreSQL statements of 200, 200 and 50 rows; on SQLite one prepared row at a time
        var response = await Factory.Client(SeraiFactory.AlphaToken).SubmitAsync(
            new { command = (string[])["true"], gpus = 1, array = "0-449", hold = true, name = "wide" });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var first = (await response.JsonAsync()).GetProperty("id").GetInt64();
        using var connection = Factory.Services.GetRequiredService<SeraiDatabase>().Open();
        var rows = connection.Query<JobRow>(
            "select id, tenant, name, state, gpus, spec, submit_unix, updated_unix, array_job_id from jobs where array_job_id = @first order by id",
            new { first }).ToList();
        Assert.Equal(450, rows.Count);
        Assert.Equal(Enumerable.Range(0, 450).Select(i => first + i), rows.Select(r => r.Id));
        Assert.All(rows, r =>
        {
            Assert.Equal(("alpha", "wide", "pending", 1L), (r.Tenant, r.Name, r.State, r.Gpus));
            Assert.Equal(r.SubmitUnix, r.UpdatedUnix);
        });
        Assert.Contains("\"ArrayTaskId\":449", rows[^1].Spec, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Same_idempotency_key_gives_the_same_job_and_a_different_body_is_a_conflict()
    {
        if (Factory is null)
        {
            return;
        }
        var alpha = Factory.Client(SeraiFactory.AlphaToken);
        var key = Guid.NewGuid().ToString("N");
        var first = await alpha.SubmitAsync(Job("idem"), key);
        var second = await alpha.SubmitAsync(Job("idem"), key);
        var other = await alpha.SubmitAsync(Job("idem-other"), key);
        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        Assert.Equal((await first.JsonAsync()).GetProperty("id").GetInt64(), (await second.JsonAsync()).GetProperty("id").GetInt64());
        Assert.Equal(HttpStatusCode.Conflict, other.StatusCode);
        // the same key from another tenant is another job
        var beta = await Factory.Client(SeraiFactory.BetaToken).SubmitAsync(Job("idem"), key);
        Assert.Equal(HttpStatusCode.Created, beta.StatusCode);
    }

    [Fact]
    public async Task Concurrent_retries_with_one_key_create_exactly_one_job()
    {
        if (Factory is null)
        {
            return;
        }
        var alpha = Factory.Client(SeraiFactory.AlphaToken);
        var key = Guid.NewGuid().ToString("N");
        var responses = await Task.WhenAll(Enumerable.Range(0, 16).Select(_ => alpha.SubmitAsync(Job("race"), key)));
        Assert.Single(responses, r => r.StatusCode == HttpStatusCode.Created);
        Assert.All(responses, r => Assert.True(r.StatusCode is HttpStatusCode.Created or HttpStatusCode.OK));
        var ids = await Task.WhenAll(responses.Select(async r => (await r.JsonAsync()).GetProperty("id").GetInt64()));
        Assert.Single(ids.Distinct());
    }

    [Fact]
    public async Task List_filters_by_state_and_pages_with_a_cursor()
    {
        if (Factory is null)
        {
            return;
        }
        var beta = Factory.Client(SeraiFactory.BetaToken);
        var prefix = "page-" + Guid.NewGuid().ToString("N")[..6];
        var ids = new List<long>();
        for (var i = 0; i < 5; i++)
        {
            ids.Add(await beta.SubmitIdAsync(Job($"{prefix}-{i}")));
        }
        var seen = new List<long>();
        string? next = null;
        do
        {
            var page = await (await beta.GetAsync($"/api/v1/jobs?name={prefix}&limit=2{(next is null ? "" : "&before=" + next)}")).JsonAsync();
            seen.AddRange(page.GetProperty("items").EnumerateArray().Select(j => j.GetProperty("id").GetInt64()));
            next = page.GetProperty("next").ValueKind == System.Text.Json.JsonValueKind.Null ? null : page.GetProperty("next").GetString();
        }
        while (next is not null);
        Assert.Equal(ids.OrderDescending(), seen);
        await beta.PostAsync($"/api/v1/jobs/{ids[0]}/cancel", null);
        var cancelled = await (await beta.GetAsync($"/api/v1/jobs?name={prefix}&state=cancelled")).JsonAsync();
        Assert.Equal(ids[0], Assert.Single(cancelled.GetProperty("items").EnumerateArray()).GetProperty("id").GetInt64());
    }

    [Fact]
    public async Task Cancel_ends_a_job_once_and_a_second_cancel_is_a_conflict()
    {
        if (Factory is null)
        {
            return;
        }
        var alpha = Factory.Client(SeraiFactory.AlphaToken);
        var id = await alpha.SubmitIdAsync(Job("cancel-me"));
        var first = await alpha.PostAsync($"/api/v1/jobs/{id}/cancel", null);
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal("cancelled", (await first.JsonAsync()).State());
        Assert.Equal(HttpStatusCode.Conflict, (await alpha.PostAsync($"/api/v1/jobs/{id}/cancel", null)).StatusCode);
        var audit = await (await Factory.Client(SeraiFactory.AdminToken).GetAsync($"/api/v1/audit?job={id}&kind=cancel")).JsonAsync();
        Assert.Single(audit.GetProperty("items").EnumerateArray());
    }

    [Fact]
    public async Task Tokens_decide_who_may_call()
    {
        if (Factory is null)
        {
            return;
        }
        Assert.Equal(HttpStatusCode.Unauthorized, (await Factory.Client(null).GetAsync("/api/v1/jobs")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await Factory.Client("serai_wrong").GetAsync("/api/v1/jobs")).StatusCode);
        var tenantOnAdmin = await Factory.Client(SeraiFactory.AlphaToken).PostAsync("/api/v1/tenants/beta/tokens", null);
        Assert.Equal(HttpStatusCode.Forbidden, tenantOnAdmin.StatusCode);
        Assert.Equal("application/problem+json", tenantOnAdmin.Content.Headers.ContentType?.MediaType);
        var created = await Factory.Client(SeraiFactory.AdminToken).PostAsync("/api/v1/tenants/beta/tokens", null);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var token = (await created.JsonAsync()).GetProperty("token").GetString();
        Assert.Equal(HttpStatusCode.OK, (await Factory.Client(token).GetAsync("/api/v1/jobs")).StatusCode);
    }
}

/// <summary>The jobs API on a real SQLite file.</summary>
public sealed class SqliteJobsApiTests(SqliteServerFixture fixture) : JobsApiContract(fixture), IClassFixture<SqliteServerFixture>;

/// <summary>The jobs API on a real PostgreSQL server.</summary>
public sealed class PostgresJobsApiTests(PostgresServerFixture fixture) : JobsApiContract(fixture), IClassFixture<PostgresServerFixture>;
