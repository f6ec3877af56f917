using Serai.Execution;
using Serai.Execution.Slurm;

namespace Serai.Slurm.Tests.Unit;

public sealed class BatchScriptTests
{
    [Theory]
    [InlineData(1, 1)]
    [InlineData(20, 1)]
    [InlineData(60, 1)]
    [InlineData(61, 2)]
    [InlineData(3600, 60)]
    public void Time_limits_round_up_to_whole_minutes(long seconds, long minutes) =>
        Assert.Equal(minutes, BatchScript.TimeLimitMinutes(seconds));

    [Fact]
    public void An_uneven_gang_asks_for_its_total_gpus_not_the_most_on_every_node()
    {
        var launch = Launches.Launch() with { Nodes = [new LaunchNode(0, null, [0, 1, 2, 3]), new LaunchNode(1, null, [0, 1])] };
        var args = BatchScript.SbatchArguments(launch, Launches.Options(), Launches.Options().Pools["h100"]);
        Assert.Contains("--gpus=h100:6", args);
        Assert.Contains("--nodes=2", args);
        Assert.DoesNotContain(args, a => a.StartsWith("--gres=", StringComparison.Ordinal));
    }

    [Fact]
    public void Sbatch_arguments_carry_name_comment_gres_nodes_time_account_and_append_mode()
    {
        var args = BatchScript.SbatchArguments(Launches.Launch(), Launches.Options(), Launches.Options().Pools["h100"]);
        Assert.Contains("--parsable", args);
        Assert.Contains("--job-name=serai-7-1", args);
        Assert.Contains("--comment=serai job=7 attempt=1 site=kz", args);
        Assert.Contains("--gres=gpu:h100:2", args);
        Assert.Contains("--nodes=1", args);
        Assert.Contains("--time=2", args);
        Assert.Contains("--account=ministry", args);
        Assert.Contains("--wckey=floods", args);
        Assert.Contains("--open-mode=append", args);
        Assert.Contains("--no-requeue", args);
        Assert.Contains("--partition=gpu", args);
        Assert.Contains("--nodelist=kz-n2", args);
        Assert.Contains("--output=/tmp/serai-slurm-unit/serai-7.out", args);
    }

    [Fact]
    public void Output_files_named_by_patterns_go_to_sbatch_with_each_percent_doubled_and_append_mode_kept()
    {
        var launch = Launches.Launch() with { OutputPath = "/home/u/out-7_100%.txt", ErrorPath = "/home/u/err-7.txt" };
        var args = BatchScript.SbatchArguments(launch, Launches.Options(), Launches.Options().Pools["h100"]);
        Assert.Contains("--output=/home/u/out-7_100%%.txt", args); // Slurm reads patterns once more
        Assert.Contains("--error=/home/u/err-7.txt", args);
        Assert.Contains("--open-mode=append", args);
    }

    [Fact]
    public void A_later_attempt_into_one_file_for_both_streams_prints_its_marker_once()
    {
        var shared = Launches.Launch(attempt: 2) with { OutputPath = "/home/u/o.txt", ErrorPath = "/home/u/o.txt" };
        Assert.DoesNotContain(">&2", BatchScript.Script(shared), StringComparison.Ordinal);
        Assert.Contains("\"$marker\" >&2", BatchScript.Script(Launches.Launch(attempt: 2)), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_relative_output_file_without_a_working_directory_is_refused_at_dispatch()
    {
        using var backend = new SlurmBackend(Launches.Options(), new FakeRunner((_, _, _) => FakeRunner.Ok()), startPolling: false);
        var launch = Launches.Launch() with { OutputPath = "out.txt" };
        var refused = await Assert.ThrowsAsync<DispatchException>(() => backend.DispatchAsync(launch, CancellationToken.None));
        Assert.Contains("'out.txt' is relative", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_tenant_command_stays_single_quoted_data_in_the_script()
    {
        var script = BatchScript.Script(Launches.Launch(command: ["sh", "-c", "echo '$(rm -rf /)'; `id`"]));
        Assert.Contains("exec 'sh' '-c' 'echo '\\''$(rm -rf /)'\\''; `id`'", script, StringComparison.Ordinal);
    }

    [Fact]
    public void A_later_attempt_prints_a_marker_line_first_and_the_first_does_not()
    {
        Assert.DoesNotContain("==== serai", BatchScript.Script(Launches.Launch(attempt: 1)), StringComparison.Ordinal);
        Assert.Contains("==== serai: job 7 attempt 2 started", BatchScript.Script(Launches.Launch(attempt: 2)), StringComparison.Ordinal);
    }

    [Fact]
    public void The_script_says_how_the_time_limit_was_rounded() =>
        Assert.Contains("time limit 61 s asked, 2 min given", BatchScript.Script(Launches.Launch()), StringComparison.Ordinal);

    [Fact]
    public void Names_round_trip_and_foreign_jobs_are_not_serais()
    {
        Assert.Equal((12L, 3), SlurmNames.Parse(SlurmNames.JobName(12, 3)));
        Assert.Null(SlurmNames.Parse("train.sh"));
        Assert.True(SlurmNames.Matches(new JobRef(12, 3, "kz"), "serai-12-3", "serai job=12 attempt=3 site=kz"));
        Assert.False(SlurmNames.Matches(new JobRef(12, 3, "kz"), "serai-12-3", "serai job=12 attempt=3 site=uz"));
    }
}
