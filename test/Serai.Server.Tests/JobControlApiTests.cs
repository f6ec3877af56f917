using System.Net;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Serai.Server.Persistence;

namespace Serai.Server.Tests;

/// <summary>The API under the Slurm-like CLI: arrays, dependencies, hold, update, the new submission fields and token expiry.</summary>
public sealed class JobControlApiTests
{
    [Fact]
    public async Task New_submission_fields_are_validated_with_the_field_the_value_and_what_is_allowed()
    {
        var directory = TestDatabases.NewDirectory();
        await using var factory = await new SeraiFactory(TestDatabases.NewSqlite(directory), directory, backend: "none").StartAsync();
        var alpha = factory.Client(SeraiFactory.AlphaToken);

        async Task<string> Problem(object body)
        {
            var response = await alpha.SubmitAsync(body);
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            return await response.Content.ReadAsStringAsync();
        }

        Assert.Contains("'5-1': range 5-1 ends before it starts", await Problem(new { command = (string[])["true"], gpus = 1, array = "5-1" }), StringComparison.Ordinal);
        Assert.Contains("'after:1' is not a dependency; allowed: afterok:ID", await Problem(new { command = (string[])["true"], gpus = 1, dependency = "after:1" }), StringComparison.Ordinal);
        Assert.Contains("job 424242 does not exist or is not visible", await Problem(new { command = (string[])["true"], gpus = 1, dependency = "afterok:424242" }), StringComparison.Ordinal);
        Assert.Contains("'work' is not an absolute path", await Problem(new { command = (string[])["true"], gpus = 1, workingDirectory = "work" }), StringComparison.Ordinal);
        var environment = await Problem(new { command = (string[])["true"], gpus = 1, environment = new Dictionary<string, object> { ["SERAI_TOKEN"] = "x", ["N"] = 3 } });
        Assert.Contains("environment.SERAI_TOKEN", environment, StringComparison.Ordinal);
        Assert.Contains("environment.N", environment, StringComparison.Ordinal);
        Assert.Contains("'Ascend 910B' is not in this hub", await Problem(new { command = (string[])["true"], gpus = 1, accelerator = "Ascend 910B" }), StringComparison.Ordinal);

        // another tenant's job is as unknown to a dependency as a job that does not exist
        var betaJob = await factory.Client(SeraiFactory.BetaToken).SubmitIdAsync(new { command = (string[])["true"], gpus = 1, hold = true });
        Assert.Contains($"job {betaJob} does not exist or is not visible", await Problem(new { command = (string[])["true"], gpus = 1, dependency = $"afterany:{betaJob}" }), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_array_is_one_submission_its_retry_with_the_same_key_adds_no_task_and_its_id_is_its_first_tasks()
    {
        var directory = TestDatabases.NewDirectory();
        await using var factory = await new SeraiFactory(TestDatabases.NewSqlite(directory), directory, backend: "none").StartAsync();
        var alpha = factory.Client(SeraiFactory.AlphaToken);
        var body = new { command = (string[])["true"], gpus = 1, array = "0-9%2", hold = true, name = "arr" };

        var first = await alpha.SubmitAsync(body, "array-key");
        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        var job = await first.JsonAsync();
        var id = job.GetProperty("id").GetInt64();
        Assert.Equal(id, job.GetProperty("arrayJobId").GetInt64());
        Assert.Equal(10, job.GetProperty("arrayTasks").GetInt32());
        var again = await alpha.SubmitAsync(body, "array-key");
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Equal(id, (await again.JsonAsync()).GetProperty("id").GetInt64());

        var tasks = (await (await alpha.GetAsync($"/api/v1/jobs?array={id}&limit=100")).JsonAsync()).GetProperty("items").EnumerateArray().ToList();
        Assert.Equal(10, tasks.Count);
        Assert.Equal(Enumerable.Range(0, 10), tasks.Select(t => t.GetProperty("arrayTaskId").GetInt32()).Order());
        Assert.All(tasks, t => Assert.Equal(id, t.GetProperty("arrayJobId").GetInt64()));
        Assert.All(tasks, t => Assert.True(t.GetProperty("held").GetBoolean()));
    }

    [Fact]
    public async Task A_hold_survives_a_restart_and_a_release_after_it_lets_the_job_run()
    {
        var directory = TestDatabases.NewDirectory();
        var database = TestDatabases.NewSqlite(directory);
        long id;
        await using (var first = await new SeraiFactory(database, directory, backend: "none").StartAsync())
        {
            var alpha = first.Client(SeraiFactory.AlphaToken);
            id = await alpha.SubmitIdAsync(new { command = (string[])["true"], gpus = 1 });
            await alpha.WaitForAsync(id, j => j.State() == "admitted" || j.State() == "running");
            // every GPU of the pool: it waits for the first job, so the hold finds it pending
            var held = await alpha.SubmitIdAsync(new { command = (string[])["true"], gpus = 8, gpusPerNode = 4, priority = "low" });
            Assert.Equal(HttpStatusCode.OK, (await alpha.PostAsync($"/api/v1/jobs/{held}/hold", null)).StatusCode);
            Assert.Equal(HttpStatusCode.Conflict, (await alpha.PostAsync($"/api/v1/jobs/{id}/hold", null)).StatusCode); // not pending
            Assert.Equal(HttpStatusCode.OK, (await alpha.PostAsync($"/api/v1/jobs/{id}/cancel", null)).StatusCode); // the GPUs are free from now on
            id = held;
        }
        await using var second = await new SeraiFactory(database, directory, backend: "none").StartAsync();
        var client = second.Client(SeraiFactory.AlphaToken);
        await Task.Delay(TimeSpan.FromSeconds(2)); // cycles run with GPUs free
        var job = await client.GetJobAsync(id);
        Assert.Equal("pending", job.State());
        Assert.True(job.GetProperty("held").GetBoolean());

        var update = await client.PatchAsync($"/api/v1/jobs/{id}", Http.Json("""{ "priority": "high", "time": "2:00" }"""));
        Assert.Equal(HttpStatusCode.OK, update.StatusCode);
        Assert.Equal("high", (await update.JsonAsync()).GetProperty("priority").GetString());
        var wrong = await client.PatchAsync($"/api/v1/jobs/{id}", Http.Json("""{ "priority": "urgent", "colour": "red" }"""));
        Assert.Equal(HttpStatusCode.BadRequest, wrong.StatusCode);
        var problem = await wrong.Content.ReadAsStringAsync();
        Assert.Contains("'urgent' is not a priority class; allowed:", problem, StringComparison.Ordinal);
        Assert.Contains("colour", problem, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await client.PostAsync($"/api/v1/jobs/{id}/release", null)).StatusCode);
        var running = await client.WaitForAsync(id, j => j.State() is "admitted" or "running");
        Assert.Contains(running.State(), new[] { "admitted", "running" });
        Assert.Equal(120, running.GetProperty("timeLimitSeconds").GetInt64());
    }

    [Fact]
    public async Task An_expired_token_is_refused_and_a_token_in_the_list_never_shows_its_secret()
    {
        var directory = TestDatabases.NewDirectory();
        await using var factory = await new SeraiFactory(TestDatabases.NewSqlite(directory), directory, backend: "none").StartAsync();
        var admin = factory.Client(SeraiFactory.AdminToken);
        var created = await admin.PostAsync("/api/v1/tokens", Http.Json("""{ "tenant": "alpha", "expires": "1h", "label": "soon" }"""));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var token = (await created.JsonAsync()).GetProperty("token").GetString()!;
        Assert.Equal(HttpStatusCode.OK, (await factory.Client(token).GetAsync("/api/v1/jobs")).StatusCode);

        using (var connection = factory.Services.GetRequiredService<SeraiDatabase>().Open())
        {
            connection.Execute("update api_tokens set expires_unix = 1 where label = 'soon'");
        }
        await Task.Delay(Auth.TokenStore.RecheckAfter + TimeSpan.FromMilliseconds(100));
        Assert.Equal(HttpStatusCode.Unauthorized, (await factory.Client(token).GetAsync("/api/v1/jobs")).StatusCode);

        var list = await (await admin.GetAsync("/api/v1/tokens")).Content.ReadAsStringAsync();
        Assert.Contains("soon", list, StringComparison.Ordinal);
        Assert.DoesNotContain(token, list, StringComparison.Ordinal);
        var bad = await admin.PostAsync("/api/v1/tokens", Http.Json("""{ "tenant": "alpha", "expires": "yesterday" }"""));
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Contains("'yesterday' is not an expiry in the future", await bad.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        // a tenant may list and revoke only its own tokens
        var alphaTokens = await (await factory.Client(SeraiFactory.AlphaToken).GetAsync("/api/v1/tokens")).Content.ReadAsStringAsync();
        Assert.DoesNotContain("\"beta\"", alphaTokens, StringComparison.Ordinal);
        Assert.DoesNotContain("\"admin\":true", alphaTokens.Replace(" ", "", StringComparison.Ordinal), StringComparison.Ordinal);
    }
}

/// <summary>The OpenAPI document against what the CLI calls: every operation the CLI uses exists, named, summarised, with its 4xx answers.</summary>
public sealed class CliApiContractTests
{
    // (method, path template) of every call `serai` makes (src/Serai.Cli/Commands)
    private static readonly (string Method, string Path)[] CliCalls =
    [
        ("post", "/api/v1/jobs/"), ("get", "/api/v1/jobs/"), ("get", "/api/v1/jobs/{id}"), ("post", "/api/v1/jobs/{id}/cancel"),
        ("get", "/api/v1/jobs/{id}/logs"), ("post", "/api/v1/jobs/{id}/hold"), ("post", "/api/v1/jobs/{id}/release"), ("post", "/api/v1/jobs/{id}/requeue"), ("patch", "/api/v1/jobs/{id}"),
        ("get", "/api/v1/tokens/"), ("post", "/api/v1/tokens/"), ("delete", "/api/v1/tokens/{id}"),
        ("get", "/api/v1/ai-systems/"), ("post", "/api/v1/ai-systems/"), ("post", "/api/v1/ai-systems/{id}/approve"),
        ("get", "/api/v1/datasets"), ("get", "/api/v1/audit"), ("get", "/api/v1/accounting"), ("get", "/api/v1/tenants/"), ("get", "/api/v1/sites/"),
    ];

    [Fact]
    public async Task Every_operation_the_cli_calls_is_in_the_openapi_document_with_an_id_a_summary_and_its_4xx_answers()
    {
        var directory = TestDatabases.NewDirectory();
        await using var factory = await new SeraiFactory(TestDatabases.NewSqlite(directory), directory, backend: "none").StartAsync();
        var paths = (await (await factory.Client(null).GetAsync("/openapi/v1.json")).JsonAsync()).GetProperty("paths");
        var ids = new HashSet<string>();
        foreach (var (method, path) in CliCalls)
        {
            var found = paths.TryGetProperty(path, out var p) ? p : paths.TryGetProperty(path.TrimEnd('/'), out var q) ? q : default;
            Assert.True(found.ValueKind == System.Text.Json.JsonValueKind.Object, $"{path} is not in the OpenAPI document");
            Assert.True(found.TryGetProperty(method, out var operation), $"{method} {path} is not in the OpenAPI document");
            Assert.True(operation.TryGetProperty("operationId", out var id) && ids.Add(id.GetString()!), $"{method} {path}: no operationId, or a repeated one");
            Assert.True(operation.TryGetProperty("summary", out _), $"{method} {path}: no summary");
            Assert.Contains(operation.GetProperty("responses").EnumerateObject(), r => r.Name.StartsWith('4'));
        }
    }
}
