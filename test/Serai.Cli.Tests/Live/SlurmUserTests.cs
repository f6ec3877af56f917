using System.Globalization;
using System.Text.Json;
using Microsoft.Data.Sqlite;

namespace Serai.Cli.Tests.Live;

/// <summary>What a Slurm user tries first, driven through the `serai` CLI against a real server running real processes.</summary>
[Collection(LiveHubCollection.Name)]
public sealed class SlurmUserTests(LiveHub hub)
{
    [Fact]
    public async Task An_array_of_100_tasks_with_limit_10_runs_every_task_and_never_more_than_10_at_once()
    {
        var work = hub.NewWorkDirectory();
        var (code, output, error) = hub.Cli("submit", "--gpus", "1", "--array", "0-99%10", "--chdir", work, "--time", "5:00", "-J", "sweep", "--",
            "sh", "-c", "date +%s%N > start.$SERAI_ARRAY_TASK_ID; sleep 0.3; date +%s%N > end.$SERAI_ARRAY_TASK_ID");
        Assert.True(code == 0, error);
        Assert.Matches(@"^Submitted array job \d+ \(100 tasks\)$", output.Trim());
        var array = System.Text.RegularExpressions.Regex.Match(output, @"job (\d+)").Groups[1].Value;

        await LiveHub.WaitUntilAsync(() => Tasks(array).Count(t => t.GetProperty("state").GetString() == "succeeded") == 100, TimeSpan.FromSeconds(120),
            "all 100 tasks succeeded");

        var tasks = Tasks(array);
        Assert.Equal(Enumerable.Range(0, 100), tasks.Select(t => t.GetProperty("arrayTaskId").GetInt32()).Order());
        var intervals = Enumerable.Range(0, 100).Select(i => (Start: Nanos(work, "start", i), End: Nanos(work, "end", i))).ToList();
        var most = intervals.Max(a => intervals.Count(b => b.Start <= a.Start && a.Start < b.End));
        Assert.InRange(most, 2, 10); // at least two ran together (an array is not a queue of one), at most the limit
    }

    [Fact]
    public async Task Afterok_waits_for_its_dependency_then_runs_and_afternotok_never_runs_after_a_success()
    {
        var first = hub.Submit("--gpus", "1", "--", "sh", "-c", "sleep 2");
        var afterOk = hub.Submit("--gpus", "1", "--dependency", $"afterok:{first}", "--", "true");
        var afterNotOk = hub.Submit("--gpus", "1", "--dependency", $"afternotok:{first}", "--", "true");

        await LiveHub.WaitUntilAsync(() => hub.State(first) == "running", TimeSpan.FromSeconds(30), $"job {first} runs");
        var waiting = hub.Job(afterOk);
        Assert.Equal("pending", waiting.GetProperty("state").GetString());
        Assert.Contains("dependency afterok", waiting.GetProperty("reason").GetString(), StringComparison.Ordinal);

        await LiveHub.WaitUntilAsync(() => hub.State(afterOk) == "succeeded", TimeSpan.FromSeconds(60), $"job {afterOk} succeeded");
        Assert.Equal("succeeded", hub.State(first));
        // placed only once its dependency ended (a job as short as `true` may end before its start is recorded)
        Assert.True(hub.Job(afterOk).GetProperty("admittedUnix").GetInt64() >= hub.Job(first).GetProperty("endedUnix").GetInt64());
        await LiveHub.WaitUntilAsync(() => hub.State(afterNotOk) == "cancelled", TimeSpan.FromSeconds(30), $"job {afterNotOk} is cancelled");
        var never = hub.Job(afterNotOk);
        Assert.Equal(JsonValueKind.Null, never.GetProperty("admittedUnix").ValueKind);
        Assert.Contains("can never be satisfied", never.GetProperty("reason").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Chdir_and_export_reach_the_job_and_the_clients_token_does_not()
    {
        var work = hub.NewWorkDirectory();
        Environment.SetEnvironmentVariable("CLI_TEST_EXPORTED", "from-the-shell");
        Environment.SetEnvironmentVariable("SERAI_TOKEN", "serai_client_secret_never_exported");
        try
        {
            var all = hub.Submit("--gpus", "1", "--chdir", work, "--", "sh", "-c", "pwd > all.txt; env >> all.txt");
            var some = hub.Submit("--gpus", "1", "--chdir", work, "--export", "ONLY=this,CLI_TEST_EXPORTED", "--", "sh", "-c", "env > some.txt");
            await LiveHub.WaitUntilAsync(() => hub.State(all) == "succeeded" && hub.State(some) == "succeeded", TimeSpan.FromSeconds(60), "both jobs succeeded");
        }
        finally
        {
            Environment.SetEnvironmentVariable("CLI_TEST_EXPORTED", null);
            Environment.SetEnvironmentVariable("SERAI_TOKEN", null);
        }
        var allText = File.ReadAllLines(Path.Combine(work, "all.txt"));
        Assert.Equal(work, allText[0]);
        Assert.Contains("CLI_TEST_EXPORTED=from-the-shell", allText);
        Assert.DoesNotContain(allText, l => l.Contains("serai_client_secret_never_exported", StringComparison.Ordinal));
        var someText = File.ReadAllLines(Path.Combine(work, "some.txt"));
        Assert.Contains("ONLY=this", someText);
        Assert.Contains("CLI_TEST_EXPORTED=from-the-shell", someText);
    }

    [Fact]
    public async Task Serai_directives_at_the_top_of_a_batch_script_are_read_and_the_command_line_wins()
    {
        var work = hub.NewWorkDirectory();
        var script = Path.Combine(work, "train.sh");
        File.WriteAllText(script, """
            #!/bin/sh
            # a comment before the directives
            #SERAI --gpus 2 --time 10:00
            #SERAI --job-name "from script" --export NONE
            #SERAI --priority low   # trailing comment
            echo "$SERAI_JOB_NAME" > name.txt
            echo "$CUDA_VISIBLE_DEVICES" >> name.txt
            #SERAI --gpus 9 (after the first command: not a directive)
            """);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(script, (UnixFileMode)0x1ED); // 0755: the tenant's account runs it
        }

        var id = hub.Submit("--chdir", work, "--priority", "high", "--", script);

        await LiveHub.WaitUntilAsync(() => hub.State(id) == "succeeded", TimeSpan.FromSeconds(60), $"job {id} succeeded");
        var job = hub.Job(id);
        Assert.Equal(2, job.GetProperty("gpus").GetInt32());
        Assert.Equal(600, job.GetProperty("timeLimitSeconds").GetInt64());
        Assert.Equal("from script", job.GetProperty("name").GetString());
        Assert.Equal("high", job.GetProperty("priority").GetString());
        Assert.Equal(JsonValueKind.Null, job.GetProperty("environmentNames").ValueKind);
        var lines = File.ReadAllLines(Path.Combine(work, "name.txt"));
        Assert.Equal("from script", lines[0]);
        Assert.Equal(2, lines[1].Split(',').Length);
    }

    [Fact]
    public async Task A_held_job_waits_until_released_and_update_changes_it_while_pending()
    {
        var work = hub.NewWorkDirectory();
        var id = hub.Submit("--gpus", "1", "--hold", "--chdir", work, "-J", "before", "--", "sh", "-c", "echo $SERAI_JOB_NAME > ran.txt");
        await Task.Delay(TimeSpan.FromSeconds(3)); // several cycles (the tick is 1 s) with GPUs free
        var held = hub.Job(id);
        Assert.Equal("pending", held.GetProperty("state").GetString());
        Assert.True(held.GetProperty("held").GetBoolean());
        Assert.StartsWith("held", held.GetProperty("reason").GetString(), StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(work, "ran.txt")));

        var (updateCode, updated, updateError) = hub.Cli("update", id, "--job-name", "after", "--time", "1:00");
        Assert.True(updateCode == 0, updateError);
        Assert.Equal($"job {id} updated (pending)", updated.Trim());
        var (releaseCode, released, releaseError) = hub.Cli("release", id);
        Assert.True(releaseCode == 0, releaseError);
        // The release wakes the loop, which may place the job before the reply is written.
        Assert.Matches($@"^job {id} released \((pending|admitted|running|succeeded)\)$", released.Trim());

        await LiveHub.WaitUntilAsync(() => hub.State(id) == "succeeded", TimeSpan.FromSeconds(60), $"job {id} succeeded");
        Assert.Equal("after", File.ReadAllText(Path.Combine(work, "ran.txt")).Trim());
        Assert.Equal(60, hub.Job(id).GetProperty("timeLimitSeconds").GetInt64());
        var (again, _, againError) = hub.Cli("hold", id);
        Assert.Equal(1, again);
        Assert.Contains("only pending jobs", againError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_requeued_job_is_stopped_and_runs_again_as_its_next_attempt()
    {
        var work = hub.NewWorkDirectory();
        var id = hub.Submit("--gpus", "1", "--chdir", work, "--", "sh", "-c", "echo attempt $SERAI_ATTEMPT >> runs.txt; sleep 60");
        var runs = Path.Combine(work, "runs.txt");
        await LiveHub.WaitUntilAsync(() => hub.State(id) == "running" && File.Exists(runs), TimeSpan.FromSeconds(30), $"job {id} runs");

        var (code, output, error) = hub.Cli("requeue", id);
        Assert.True(code == 0, error);
        Assert.StartsWith($"job {id} requeued", output.Trim(), StringComparison.Ordinal);

        await LiveHub.WaitUntilAsync(() => File.ReadAllLines(runs).Length == 2 && hub.State(id) == "running", TimeSpan.FromSeconds(60), $"job {id} runs again");
        Assert.Equal(["attempt 1", "attempt 2"], File.ReadAllLines(runs));
        Assert.Equal(0, hub.Cli("cancel", id).Code);
        var (pending, _, pendingError) = hub.Cli("requeue", id);
        Assert.Equal(1, pending);
        Assert.Contains("only admitted, starting or running jobs can be requeued", pendingError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_revoked_token_is_refused_within_a_second_even_when_another_server_revoked_it()
    {
        var (createCode, secret, createError) = hub.Cli("token", "create", "--tenant", "demo", "--label", "ci", "--expires", "7d");
        Assert.True(createCode == 0, createError);
        secret = secret.Trim();
        var (mine, _, mineError) = hub.Cli("jobs", "--token", secret);
        Assert.True(mine == 0, mineError);
        var id = hub.Json("token", "list").EnumerateArray().Single(t => t.GetProperty("label").GetString() == "ci").GetProperty("id").GetString()!;

        // another server on the same database revokes it: this server hears of it only through the database
        using (var connection = new SqliteConnection($"Data Source={hub.Database}"))
        {
            connection.Open();
            using var revoke = connection.CreateCommand();
            revoke.CommandText = "update api_tokens set revoked_unix = $now where hash like $id || '%'";
            revoke.Parameters.AddWithValue("$now", DateTimeOffset.UtcNow.ToUnixTimeSeconds());
            revoke.Parameters.AddWithValue("$id", id);
            Assert.Equal(1, revoke.ExecuteNonQuery());
        }
        var revokedAt = DateTime.UtcNow;
        await LiveHub.WaitUntilAsync(() => hub.Cli("jobs", "--token", secret).Code != 0, TimeSpan.FromSeconds(5), "the revoked token is refused");
        Assert.True(DateTime.UtcNow - revokedAt < TimeSpan.FromSeconds(1.5), $"refused only after {(DateTime.UtcNow - revokedAt).TotalSeconds:F2} s");
        var (code, _, error) = hub.Cli("jobs", "--token", secret);
        Assert.Equal(1, code);
        Assert.Contains("401", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Token_revoke_through_the_cli_is_effective_at_once_and_a_tenant_may_not_list_another_tenants_jobs()
    {
        var (_, secret, _) = hub.Cli("token", "create", "--tenant", "demo", "--label", "short");
        secret = secret.Trim();
        var (other, _, otherError) = hub.Cli("jobs", "--token", secret, "--tenant", "default");
        Assert.Equal(1, other);
        Assert.Contains("403", otherError, StringComparison.Ordinal);
        var id = hub.Json("token", "list").EnumerateArray().Single(t => t.GetProperty("label").GetString() == "short").GetProperty("id").GetString()!;
        var (revoked, output, revokeError) = hub.Cli("token", "revoke", id);
        Assert.True(revoked == 0, revokeError);
        Assert.Equal($"token {id} revoked", output.Trim());
        Assert.Equal(1, hub.Cli("jobs", "--token", secret).Code);
        Assert.True(hub.Json("token", "list").EnumerateArray().Single(t => t.GetProperty("id").GetString() == id).TryGetProperty("revokedUnix", out var at)
            && at.ValueKind == JsonValueKind.Number);
    }

    [Fact]
    public void The_admin_submits_without_a_tenant_to_the_hubs_default_tenant_and_accelerator_names_are_normalised()
    {
        var id = hub.Submit("--gpus", "1", "--hold", "--accelerator", "h-100", "--", "true");
        var job = hub.Job(id);
        Assert.Equal("default", job.GetProperty("tenant").GetString());
        Assert.Equal("H100", job.GetProperty("accelerator").GetString());
        Assert.Equal(0, hub.Cli("cancel", id).Code);
    }

    [Fact]
    public async Task Registry_datasets_audit_and_accounting_commands_answer_from_the_api()
    {
        // one finished job of the default tenant, so that the accounting has a row
        var id = hub.Submit("--gpus", "1", "--", "sh", "-c", "sleep 1");
        await LiveHub.WaitUntilAsync(() => hub.State(id) == "succeeded", TimeSpan.FromSeconds(60), $"job {id} succeeded");
        var (registered, output, error) = hub.Cli("ai-systems", "register", "cli-chat", "--risk", "minimal", "--owner", "demo");
        Assert.True(registered == 0, error);
        Assert.StartsWith("AI system cli-chat registered", output, StringComparison.Ordinal);
        var (approved, approveOutput, approveError) = hub.Cli("ai-systems", "approve", "cli-chat");
        Assert.True(approved == 0, approveError);
        Assert.Contains("approved true", approveOutput, StringComparison.Ordinal);
        Assert.Contains(hub.Json("ai-systems", "list").EnumerateArray(), a => a.GetProperty("id").GetString() == "cli-chat" && a.GetProperty("approved").GetBoolean());

        Assert.Equal(JsonValueKind.Array, hub.Json("datasets").ValueKind);
        Assert.Contains(hub.Json("audit", "--kind", "ai-approve").GetProperty("items").EnumerateArray(), e => e.GetProperty("message").GetString()!.Contains("cli-chat", StringComparison.Ordinal));

        var (csvCode, csv, csvError) = hub.Cli("accounting", "--csv");
        Assert.True(csvCode == 0, csvError);
        var lines = csv.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("tenant,from,to,jobs,gpu_hours,energy_kwh,co2_tonnes,cost_usd", lines[0]);
        Assert.Contains(lines, l => l.StartsWith("default,", StringComparison.Ordinal));
        Assert.All(lines.Skip(1), l => Assert.Equal(8, l.Split(',').Length));
    }

    private List<JsonElement> Tasks(string array) => hub.Json("jobs", "--array", array, "--all", "--limit", "1000").GetProperty("items").EnumerateArray().ToList();

    private static long Nanos(string directory, string kind, int task) =>
        long.Parse(File.ReadAllText(Path.Combine(directory, $"{kind}.{task}")).Trim(), CultureInfo.InvariantCulture);
}
