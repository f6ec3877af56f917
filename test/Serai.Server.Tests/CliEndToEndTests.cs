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

        using var http = serve.Client();
        await LocalExecutionTests.WaitUntilAsync(async () => (await http.GetStringAsync($"/api/v1/jobs/{id}/logs")).Contains("hello", StringComparison.Ordinal));
        Assert.Equal("hello from 0\n", (await serve.CliAsync("logs", id)).Stdout);
        // the backend's start confirmation reaches the control loop a moment after the job's first output
        await LocalExecutionTests.WaitUntilAsync(async () =>
            JsonDocument.Parse((await serve.CliAsync("job", id, "--json")).Stdout).RootElement.GetProperty("state").GetString() == "running");
        var job = JsonDocument.Parse((await serve.CliAsync("job", id, "--json")).Stdout).RootElement;
        Assert.Equal("running", job.GetProperty("state").GetString());
        var jobDirectory = Path.Combine(directory, "jobs", id);

        var cancelled = await serve.CliAsync("cancel", id);
        Assert.Equal($"job {id} cancelled", cancelled.Stdout.Trim());
        await LocalExecutionTests.WaitUntilAsync(() => !LocalExecutionTests.JobAlive(jobDirectory));
        Assert.False(LocalExecutionTests.JobAlive(jobDirectory));
        Assert.Equal("hello from 0\n", (await serve.CliAsync("logs", id, "-f")).Stdout);

        var (jobsRun, sites, usage, token, missingRun) = (serve.CliAsync("jobs", "--json"), serve.CliAsync("sites"), serve.CliAsync("usage", "--json"),
            serve.CliAsync("token", "create", "--tenant", "demo"), serve.CliAsync("job", "999999"));
        var jobs = JsonDocument.Parse((await jobsRun).Stdout).RootElement;
        Assert.Equal("cancelled", Assert.Single(jobs.GetProperty("items").EnumerateArray()).GetProperty("state").GetString());
        Assert.Equal(0, (await sites).Code);
        Assert.True((await usage).Code == 0, (await usage).Stderr);
        Assert.StartsWith("serai_", (await token).Stdout.Trim(), StringComparison.Ordinal);
        var missing = await missingRun;
        Assert.Equal(1, missing.Code);
        Assert.Contains("404", missing.Stderr, StringComparison.Ordinal);
    }
}
