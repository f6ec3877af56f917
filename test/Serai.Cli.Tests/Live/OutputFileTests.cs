using System.Text.RegularExpressions;

namespace Serai.Cli.Tests.Live;

/// <summary>
/// `serai submit --output/--error` as a Slurm user writes them, against a real server running real processes as the
/// tenant's account: the files land where the pattern says, written by that account, and appended across attempts.
/// </summary>
[Collection(LiveHubCollection.Name)]
public sealed partial class OutputFileTests(LiveHub hub)
{
    [Fact]
    public async Task An_array_of_3_tasks_with_an_output_pattern_writes_three_files_in_its_working_directory()
    {
        var work = hub.NewWorkDirectory();
        var (code, output, error) = hub.Cli("submit", "--gpus", "1", "--array", "0-2", "--chdir", work, "--output", "out-%A_%a.txt", "-J", "sweep", "--",
            "sh", "-c", "echo task $SERAI_ARRAY_TASK_ID of $SERAI_ARRAY_JOB_ID; echo warn $SERAI_ARRAY_TASK_ID >&2");
        Assert.True(code == 0, error);
        var array = JobId().Match(output).Groups[1].Value;
        var ids = Enumerable.Range(0, 3).Select(i => (long.Parse(array, System.Globalization.CultureInfo.InvariantCulture) + i).ToString(System.Globalization.CultureInfo.InvariantCulture)).ToList();
        await LiveHub.WaitUntilAsync(() => ids.All(id => hub.State(id) == "succeeded"), TimeSpan.FromSeconds(60), "the 3 tasks succeeded");

        Assert.Equal(Enumerable.Range(0, 3).Select(i => $"out-{array}_{i}.txt"), Directory.GetFiles(work).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        for (var i = 0; i < 3; i++)
        {
            var file = Path.Combine(work, $"out-{array}_{i}.txt");
            Assert.Equal($"task {i} of {array}\nwarn {i}\n", File.ReadAllText(file)); // stderr goes with stdout, as in sbatch
            Assert.Equal(file, hub.Job(ids[i]).GetProperty("outputFile").GetString());
            var (logs, text, logsError) = hub.Cli("logs", ids[i]);
            Assert.True(logs == 0, logsError);
            Assert.Equal($"task {i} of {array}\nwarn {i}\n", text);
        }
        Assert.Matches($@"outputFile\s+{Regex.Escape(Path.Combine(work, $"out-{array}_1.txt"))}", hub.Cli("job", ids[1]).Out);
    }

    [Fact]
    public async Task Output_and_error_from_serai_directives_go_to_separate_files()
    {
        var work = hub.NewWorkDirectory();
        var script = Path.Combine(work, "job.sh");
        File.WriteAllText(script, "#!/bin/sh\n#SERAI --gpus 1 --job-name=direct\n#SERAI --output=%x-%j.out -e %x-%j.err\necho to-out\necho to-err >&2\n");
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(script, (UnixFileMode)0x1ED); // 0755: the tenant's account runs it
        }
        var id = hub.Submit("--chdir", work, "--", script);
        await LiveHub.WaitUntilAsync(() => hub.State(id) is "succeeded" or "failed", TimeSpan.FromSeconds(60), $"job {id} ended");
        Assert.Equal("succeeded", hub.State(id));
        Assert.Equal("to-out\n", File.ReadAllText(Path.Combine(work, $"direct-{id}.out")));
        Assert.Equal("to-err\n", File.ReadAllText(Path.Combine(work, $"direct-{id}.err")));
        Assert.Equal("to-err\n", hub.Cli("logs", id, "--stderr").Out);
    }

    [Fact]
    public async Task A_pattern_naming_a_link_to_a_root_only_file_never_writes_it_and_logs_never_show_it()
    {
        if (!Environment.IsPrivilegedProcess || OperatingSystem.IsWindows())
        {
            return; // the server switches to the tenant's account only as root; the test runs as root in CI
        }
        var work = hub.NewWorkDirectory();
        var secret = Path.Combine(hub.Directory, "root-only-" + Guid.NewGuid().ToString("N")[..6]);
        File.WriteAllText(secret, "root's own line\n");
        File.SetUnixFileMode(secret, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        File.CreateSymbolicLink(Path.Combine(work, "out.txt"), secret);

        var id = hub.Submit("--gpus", "1", "--chdir", work, "-o", "out.txt", "--", "sh", "-c", "echo appended by the job");
        await LiveHub.WaitUntilAsync(() => hub.State(id) is "succeeded" or "failed", TimeSpan.FromSeconds(60), $"job {id} ended");

        Assert.Equal("failed", hub.State(id)); // the tenant's account may not open it, so the command never ran
        Assert.Equal("root's own line\n", File.ReadAllText(secret));
        Assert.DoesNotContain("root's own line", hub.Cli("logs", id).Out, StringComparison.Ordinal);
        Assert.Contains("Permission denied", hub.Cli("logs", id, "--stderr").Out, StringComparison.Ordinal); // what went wrong
    }

    [Fact]
    public async Task A_requeued_job_appends_its_next_attempt_to_the_same_file()
    {
        var work = hub.NewWorkDirectory();
        var id = hub.Submit("--gpus", "1", "--chdir", work, "--output", "run-%j.log", "--", "sh", "-c", "echo attempt $SERAI_ATTEMPT; sleep 60");
        var file = Path.Combine(work, $"run-{id}.log");
        await LiveHub.WaitUntilAsync(() => hub.State(id) == "running" && File.Exists(file) && File.ReadAllText(file).Length > 0, TimeSpan.FromSeconds(30), $"job {id} runs");

        var (code, _, error) = hub.Cli("requeue", id);
        Assert.True(code == 0, error);
        await LiveHub.WaitUntilAsync(() => File.ReadAllLines(file).Length == 3, TimeSpan.FromSeconds(60), $"job {id} runs again");
        var lines = File.ReadAllLines(file);
        Assert.Equal("attempt 1", lines[0]);
        Assert.StartsWith($"==== serai: job {id} attempt 2 started ", lines[1], StringComparison.Ordinal);
        Assert.Equal("attempt 2", lines[2]);
        Assert.Equal(0, hub.Cli("cancel", id).Code);
    }

    [Fact]
    public void A_pattern_the_server_cannot_use_is_refused_with_the_letter_and_what_is_allowed()
    {
        var (code, _, error) = hub.Cli("submit", "--gpus", "1", "--output", "out-%N.txt", "--", "true");
        Assert.Equal(1, code);
        Assert.Contains("output: 'out-%N.txt' uses %N", error, StringComparison.Ordinal);
        Assert.Contains("Allowed: %j (job id)", error, StringComparison.Ordinal);
    }

    [GeneratedRegex(@"job (\d+)")]
    private static partial Regex JobId();
}
