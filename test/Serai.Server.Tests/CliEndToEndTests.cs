using System.Text.Json;

namespace Serai.Server.Tests;

/// <summary>The `serai` CLI against a real `serai serve` with the local backend: submit, jobs, logs, cancel, sites, usage.</summary>
public sealed class CliEndToEndTests
{
    [Fact]
    public async Task A_job_submitted_with_the_cli_runs_its_logs_are_readable_and_cancel_stops_it()
    {
        var directory = TestDatabases.NewDirectory();
        using var serve = await ServeProcess.StartAsync(directory, ServeProcess.FreePort(), backend: "local");
        var submitted = await serve.CliAsync("submit", "--gpus", "1", "--time", "5", "--tenant", "default", "-J", "cli-e2e", "--", "sh", "-c", "echo hello from $CUDA_VISIBLE_DEVICES; sleep 300");
        Assert.True(submitted.Code == 0, submitted.Stderr);
        var id = submitted.Stdout.Trim().Split(' ')[^1];
        Assert.Equal($"Submitted job {id}", submitted.Stdout.Trim());

        var logs = "";
        for (var i = 0; i < 100 && !logs.Contains("hello", StringComparison.Ordinal); i++)
        {
            await Task.Delay(100);
            logs = (await serve.CliAsync("logs", id)).Stdout;
        }
        Assert.Equal("hello from 0\n", logs);
        var job = JsonDocument.Parse((await serve.CliAsync("job", id, "--json")).Stdout).RootElement;
        Assert.Equal("running", job.GetProperty("state").GetString());
        var pgid = int.Parse(File.ReadAllText(Path.Combine(directory, "jobs", id, "pid")));

        var cancelled = await serve.CliAsync("cancel", id);
        Assert.Equal($"job {id} cancelled", cancelled.Stdout.Trim());
        await LocalExecutionTests.WaitUntilAsync(() => !LocalExecutionTests.GroupAlive(pgid));
        Assert.False(LocalExecutionTests.GroupAlive(pgid));
        Assert.Equal("hello from 0\n", (await serve.CliAsync("logs", id, "-f")).Stdout);

        var jobs = JsonDocument.Parse((await serve.CliAsync("jobs", "--json")).Stdout).RootElement;
        Assert.Equal("cancelled", Assert.Single(jobs.GetProperty("items").EnumerateArray()).GetProperty("state").GetString());
        Assert.Equal(0, (await serve.CliAsync("sites")).Code);
        var usage = await serve.CliAsync("usage", "--json");
        Assert.True(usage.Code == 0, usage.Stderr);
        var token = await serve.CliAsync("token", "create", "--tenant", "demo");
        Assert.StartsWith("serai_", token.Stdout.Trim(), StringComparison.Ordinal);
        var missing = await serve.CliAsync("job", "999999");
        Assert.Equal(1, missing.Code);
        Assert.Contains("404", missing.Stderr, StringComparison.Ordinal);
    }
}
