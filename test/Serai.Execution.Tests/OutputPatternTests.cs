namespace Serai.Execution.Tests;

/// <summary>sbatch's filename patterns, expanded with Serai's ids: every letter, widths, escapes, and clear refusals.</summary>
public sealed class OutputPatternTests
{
    private static readonly OutputNames Task7 = new(JobId: 1042, ArrayJobId: 1035, ArrayTaskId: 7, JobName: "sweep", User: "demo");
    private static readonly OutputNames Single = new(JobId: 88, ArrayJobId: null, ArrayTaskId: null, JobName: "train", User: "acme");

    [Theory]
    [InlineData("out-%j.txt", "out-1042.txt")]
    [InlineData("out-%A_%a.txt", "out-1035_7.txt")]
    [InlineData("%x-%u.log", "sweep-demo.log")]
    [InlineData("100%%-%j", "100%-1042")]
    [InlineData("%%j", "%j")]
    [InlineData("task-%4a.out", "task-0007.out")]
    [InlineData("%10j", "0000001042")]
    [InlineData("%12j", "0000001042")] // at most 10, as sbatch
    [InlineData("%5x", "sweep")] // a width means nothing for a name
    [InlineData("/abs/dir/%A/%a.txt", "/abs/dir/1035/7.txt")]
    [InlineData("plain.txt", "plain.txt")]
    [InlineData("no\\%j\\here", "no%jhere")] // a backslash turns replacement off and is dropped, as sbatch
    public void Each_letter_expands_to_Serais_value(string pattern, string expanded)
    {
        Assert.Null(OutputPattern.Check(pattern, array: true));
        Assert.Equal(expanded, OutputPattern.Expand(pattern, Task7));
    }

    [Fact]
    public void A_job_that_is_no_array_is_its_own_array_job_and_has_no_task_index()
    {
        Assert.Equal("88-88.txt", OutputPattern.Expand("%A-%j.txt", Single));
        Assert.Contains("%a, the array task index, but the job is not an array", OutputPattern.Check("out-%a.txt", array: false), StringComparison.Ordinal);
    }

    [Fact]
    public void A_name_or_user_fills_one_path_component()
    {
        var names = Single with { JobName = "../../etc/x\\y", User = "a/b" };
        Assert.Equal("out-.._.._etc_x_y-a_b.txt", OutputPattern.Expand("out-%x-%u.txt", names));
    }

    [Theory]
    [InlineData("out-%q.txt", "uses %q, which is not a pattern letter. Allowed: %j (job id)")]
    [InlineData("out-%N.txt", "uses %N (a node or task of the job)")]
    [InlineData("out-%n.txt", "uses %n (a node or task of the job)")]
    [InlineData("out-%t.txt", "uses %t (a node or task of the job)")]
    [InlineData("out-%s.txt", "uses %s (a Slurm step)")]
    [InlineData("out-%J.txt", "uses %J (a Slurm step)")]
    [InlineData("out-%", "ends in a lone %; write %% for a literal %")]
    [InlineData("out-%3", "ends in a lone %")]
    [InlineData("", "is empty")]
    [InlineData("logs/", "names a directory")]
    [InlineData("logs/..", "names a directory")]
    [InlineData("a\0b", "holds the control character U+0000 at position 1")]
    [InlineData("a\nb", "holds the control character U+000A")]
    public void A_pattern_it_cannot_use_is_refused_with_the_reason_and_what_is_allowed(string pattern, string reason) =>
        Assert.Contains(reason, OutputPattern.Check(pattern, array: true), StringComparison.Ordinal);

    [Fact]
    public void An_over_long_pattern_is_refused()
    {
        Assert.Contains("is 4096 characters long; at most 4095", OutputPattern.Check(new string('a', 4096), array: false), StringComparison.Ordinal);
        Assert.Null(OutputPattern.Check("/" + new string('a', 4094), array: false));
    }

    [Fact]
    public void A_relative_name_is_under_the_working_directory_and_an_absolute_one_stays()
    {
        Assert.Equal("/work/run/out-1.txt", OutputPattern.Resolve("out-1.txt", "/work/run"));
        Assert.Equal("/tmp/out-1.txt", OutputPattern.Resolve("/tmp/out-1.txt", "/work/run"));
    }
}
