using Serai.Cli.Commands;
using Serai.Contracts;

namespace Serai.Cli.Tests;

/// <summary>What `serai submit` makes of its words before it sends anything: options, --, directives, exports.</summary>
public sealed class SubmitParsingTests
{
    // nothing listens here: a command that got past its own checks fails to connect (exit 2, "cannot reach")
    private static readonly string[] Nowhere = ["--url", "http://127.0.0.1:9", "--token", "serai_x"];

    [Fact]
    public void An_unknown_option_before_the_double_dash_is_an_error_that_names_it()
    {
        var (code, output, error) = CliRun.Invoke(["submit", "--gpus", "1", "--chdri", "/tmp", .. Nowhere, "--", "sh", "-c", "true"]);

        Assert.Equal(2, code);
        Assert.Equal("", output);
        Assert.Contains("unknown option '--chdri'", error, StringComparison.Ordinal);
        Assert.DoesNotContain("cannot reach", error, StringComparison.Ordinal);
    }

    [Fact]
    public void An_unknown_option_without_a_double_dash_is_an_error_too()
    {
        var (code, _, error) = CliRun.Invoke(["submit", "--gpus", "1", .. Nowhere, "python", "train.py", "--epochs", "3"]);

        Assert.Equal(2, code);
        Assert.Contains("unknown option '--epochs'", error, StringComparison.Ordinal);
        Assert.Contains("put it after --", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Json_after_the_double_dash_belongs_to_the_job_with_a_warning()
    {
        var (_, _, error) = CliRun.Invoke(["submit", "--gpus", "1", .. Nowhere, "--", "python", "report.py", "--json"]);

        Assert.Contains("warning: '--json' after -- belongs to the job's command", error, StringComparison.Ordinal);
        Assert.Contains("cannot reach", error, StringComparison.Ordinal); // it went on to submit
    }

    [Fact]
    public void Gpus_are_required_on_the_command_line_or_in_a_directive()
    {
        var (code, _, error) = CliRun.Invoke(["submit", .. Nowhere, "--", "true"]);

        Assert.Equal(2, code);
        Assert.Contains("--gpus: required", error, StringComparison.Ordinal);
    }

    [Fact]
    public void A_bad_directive_is_reported_with_the_file_and_line()
    {
        var script = Path.Combine(Path.GetTempPath(), $"serai-directive-{Guid.NewGuid():N}.sh");
        File.WriteAllText(script, "#!/bin/sh\n#SERAI --gpus 1\n#SERAI --gpu-count 2\ntrue\n");
        try
        {
            var (code, _, error) = CliRun.Invoke(["submit", .. Nowhere, "--", script]);
            Assert.Equal(2, code);
            Assert.Contains(script, error, StringComparison.Ordinal);
            Assert.Contains("unknown option '--gpu-count'", error, StringComparison.Ordinal);

            File.WriteAllText(script, "#!/bin/sh\n#SERAI --gpus 1 --token x\ntrue\n");
            (code, _, error) = CliRun.Invoke(["submit", .. Nowhere, "--", script]);
            Assert.Equal(2, code);
            Assert.Contains($"{script}:2: '--token' is not allowed", error, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(script);
        }
    }

    [Fact]
    public void A_notify_webhook_may_be_given_in_a_directive()
    {
        var script = Path.Combine(Path.GetTempPath(), $"serai-directive-{Guid.NewGuid():N}.sh");
        File.WriteAllText(script, "#!/bin/sh\n#SERAI --gpus 1 --notify https://hooks.example.org/serai\ntrue\n");
        try
        {
            var submit = SeraiCommand.Create().Subcommands.Single(c => c.Name == "submit");
            var (parsed, error) = Directives.Read(submit, script);
            Assert.Null(error);
            Assert.Equal("https://hooks.example.org/serai", parsed!.GetValue<string?>("--notify"));
        }
        finally
        {
            File.Delete(script);
        }
    }

    [Fact]
    public void Directive_lines_split_like_a_shell_for_quotes()
    {
        Assert.Equal(["--job-name", "two words", "-t", "1:00"], Directives.Split("--job-name \"two words\" -t '1:00'").Words);
        Assert.NotNull(Directives.Split("--job-name \"open").Error);
    }

    [Fact]
    public void Export_reads_all_none_and_names_as_sbatch_does_and_never_sends_serai_variables()
    {
        var caller = new Dictionary<string, string> { ["PATH"] = "/usr/bin", ["HOME"] = "/home/u", ["SERAI_TOKEN"] = "secret", ["BASH_FUNC_x%%"] = "() { :; }" };

        Assert.Equal(new Dictionary<string, string> { ["PATH"] = "/usr/bin", ["HOME"] = "/home/u" }, Exports.Resolve(null, caller).Variables);
        Assert.Null(Exports.Resolve("NONE", caller).Variables);
        Assert.Equal(new Dictionary<string, string> { ["A"] = "1", ["PATH"] = "/usr/bin" }, Exports.Resolve("A=1,PATH,UNSET", caller).Variables);
        Assert.Equal(3, Exports.Resolve("ALL,A=1", caller).Variables!.Count);
        Assert.Contains("SERAI_ variables", Exports.Resolve("SERAI_TOKEN", caller).Error, StringComparison.Ordinal);
        Assert.Contains("'1BAD' is not a variable name", Exports.Resolve("1BAD=x", caller).Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("0-99%10", 100, 10)]
    [InlineData("1,3,5-7", 5, null)]
    [InlineData("0-20:5", 5, null)]
    public void Array_specs_read_as_sbatch_writes_them(string text, int tasks, int? limit)
    {
        var (array, error) = JobArray.Parse(text);
        Assert.Null(error);
        Assert.Equal(tasks, array!.Indexes.Count);
        Assert.Equal(limit, array.Limit);
    }

    [Theory]
    [InlineData("5-1", "ends before it starts")]
    [InlineData("0-9%0", "limit after %")]
    [InlineData("a-b", "is not a job array")]
    [InlineData("0-20000", "more than 10000 tasks")]
    public void Bad_array_specs_say_what_is_wrong(string text, string expected) =>
        Assert.Contains(expected, JobArray.Parse(text).Error, StringComparison.Ordinal);

    [Theory]
    [InlineData("afterok:12:13", DependencyKind.AfterOk, 2)]
    [InlineData("AfterAny:7", DependencyKind.AfterAny, 1)]
    [InlineData("afternotok:7", DependencyKind.AfterNotOk, 1)]
    [InlineData("singleton", DependencyKind.Singleton, 0)]
    public void Dependencies_read_as_sbatch_writes_them(string text, DependencyKind kind, int ids)
    {
        var (dependency, error) = JobDependency.Parse(text);
        Assert.Null(error);
        Assert.Equal(kind, dependency!.Kind);
        Assert.Equal(ids, dependency.JobIds.Count);
    }

    [Theory]
    [InlineData("after:12", "is not a dependency")]
    [InlineData("afterok", "names 0 jobs")]
    [InlineData("afterok:x", "'x' is not a job id")]
    public void Bad_dependencies_say_what_is_allowed(string text, string expected)
    {
        var error = JobDependency.Parse(text).Error;
        Assert.Contains(expected, error, StringComparison.Ordinal);
        Assert.Contains("afterok:ID", error, StringComparison.Ordinal);
    }
}
