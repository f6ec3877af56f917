using Serai.Execution;
using Serai.Execution.Slurm;
using Serai.Execution.Slurm.Parsing;

namespace Serai.Slurm.Tests.Unit;

public sealed class ParsingTests
{
    private static SlurmReading Read(string state, string reason = "None", int status = 0, int restarts = 0) =>
        SlurmStates.Read(SqueueFormat.Parse(FakeRunner.Squeue("5", state, reason, "serai-1-1", "c", status: status, restarts: restarts), out _)[0]);

    [Fact]
    public void Squeue_lines_give_raw_wait_status_as_exit_code_and_signal()
    {
        var record = SqueueFormat.Parse(FakeRunner.Squeue("1", "FAILED", "NonZeroExitCode", "t1", "c x", status: 1280), out var skipped)[0];
        Assert.Equal((5, 0, 0), (record.ExitCode!.Value, record.Signal!.Value, skipped));
        Assert.Equal("c x", record.Comment);
    }

    [Fact]
    public void Garbage_lines_are_skipped_not_guessed()
    {
        Assert.Empty(SqueueFormat.Parse("squeue: error: something\n\n", out var skipped));
        Assert.Equal(1, skipped);
    }

    [Theory]
    [InlineData("COMPLETED", "None", 0, JobEndKind.Exited, 0, "exited with code 0")]
    [InlineData("FAILED", "NonZeroExitCode", 1280, JobEndKind.Exited, 5, "exited with code 5")]
    [InlineData("FAILED", "JobLaunchFailure", 9, JobEndKind.Exited, 137, "killed by signal 9")]
    [InlineData("TIMEOUT", "TimeLimit", 0, JobEndKind.TimedOut, null, "time limit")]
    [InlineData("NODE_FAIL", "NodeDown", 0, JobEndKind.NodeFailure, null, "node of the job failed")]
    [InlineData("CANCELLED", "None", 0, JobEndKind.CancelledAtSite, null, "cancelled at the site")]
    [InlineData("CANCELLED", "JobHeldUser", 0, JobEndKind.CancelledAtSite, null, "while held")]
    [InlineData("OUT_OF_MEMORY", "OutOfMemory", 0, JobEndKind.Exited, 137, "out of memory")]
    [InlineData("PREEMPTED", "None", 0, JobEndKind.NodeFailure, null, "preempted by Slurm")]
    [InlineData("BOOT_FAIL", "None", 0, JobEndKind.NodeFailure, null, "failed to boot")]
    public void Endings_map_to_kinds_with_readable_reasons(string state, string reason, int status, JobEndKind kind, int? exit, string says)
    {
        var reading = Read(state, reason, status);
        Assert.Equal(SlurmPhase.Ended, reading.Phase);
        Assert.Equal(kind, reading.EndKind);
        Assert.Equal(exit, reading.ExitCode);
        Assert.Contains(says, reading.Reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("PartitionNodeLimit", "more nodes than the partition")]
    [InlineData("InvalidAccount", "account is not valid")]
    [InlineData("DependencyNeverSatisfied", "depends on failed")]
    public void Jobs_that_can_never_start_are_given_back(string reason, string says)
    {
        var reading = Read("PENDING", reason);
        Assert.Equal((SlurmPhase.GiveBack, JobEndKind.NodeFailure), (reading.Phase, reading.EndKind));
        Assert.Contains(says, reading.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void A_job_Slurm_requeued_by_itself_is_given_back_and_a_plain_wait_is_not()
    {
        Assert.Equal(SlurmPhase.GiveBack, Read("PENDING", "BeginTime", restarts: 1).Phase);
        Assert.Equal(SlurmPhase.Pending, Read("PENDING", "Resources").Phase);
        Assert.Equal(SlurmPhase.Running, Read("RUNNING").Phase);
        Assert.Equal(SlurmPhase.Transitional, Read("COMPLETING").Phase);
    }

    [Fact]
    public void Sacct_text_form_gives_exit_codes()
    {
        var record = SqueueFormat.ParseSacct("1|t1|FAILED|5:0|kz-n1\n2|t2|CANCELLED by 0|0:15|kz-n2\n");
        Assert.Equal(5, record[0].ExitCode);
        Assert.Equal("CANCELLED", record[1].State);
    }

    [Fact]
    public void Sinfo_free_gpus_are_gres_minus_used_on_nodes_that_are_up()
    {
        const char s = '\x1f';
        var nodes = SinfoFormat.Parse(
            $"kz-n1{s}mixed{s}gpu:h100:4{s}gpu:h100:3(IDX:0-2){s}gpu*{s}none{s}\n" +
            $"kz-n2{s}down{s}gpu:h100:4{s}gpu:h100:0(IDX:N/A){s}gpu*{s}test{s}\n" +
            $"kz-n3{s}drained{s}gpu:h100:4{s}gpu:h100:0(IDX:N/A){s}gpu*{s}maint{s}\n");
        Assert.Equal([1, 0, 0], nodes.Select(n => n.FreeGpus));
        Assert.True(nodes[1].Down);
        Assert.True(nodes[2].Drained);
        Assert.Equal(("h100", 4), SinfoFormat.Gpus("gpu:h100:4"));
        Assert.Equal((null, 2), SinfoFormat.Gpus("gpu:2"));
        Assert.Equal((null, 0), SinfoFormat.Gpus("(null)"));
    }

    [Fact]
    public void Scontrol_detail_gives_the_gpus_per_node_set_and_skips_lines_without_a_job()
    {
        var jobs = GresDetail.Parse(
            "JobId=476 JobName=serai-3-1 UserId=root(0) JobState=RUNNING NumNodes=2 JOB_GRES=gpu:h100:8 " +
            "Nodes=kz-n1 CPU_IDs=0 Mem=0 GRES=gpu:h100:4(IDX:0-3) Nodes=kz-n2 CPU_IDs=0 Mem=0 GRES=gpu:h100:4(IDX:0-3) TimeLimit=2\n" +
            "garbage without keys\n" +
            "JobId=477 JobName=other JobState=PENDING\n");
        Assert.Equal(2, jobs.Count);
        Assert.Equal(("476", "serai-3-1"), (jobs[0].JobId, jobs[0].JobName));
        Assert.Equal([("kz-n1", "gpu:h100:4(IDX:0-3)"), ("kz-n2", "gpu:h100:4(IDX:0-3)")], jobs[0].Gpus);
        Assert.Empty(jobs[1].Gpus);
    }
}
