using System.Net;

namespace Serai.Server.Tests;

/// <summary>A submission's output patterns (<c>output</c>, <c>error</c>): checked with field, value and what is allowed; a job shows the files they name.</summary>
public sealed class JobOutputApiTests : IAsyncLifetime
{
    private readonly string _directory = TestDatabases.NewDirectory();
    private SeraiFactory _factory = null!;
    private HttpClient _alpha = null!;

    public async Task InitializeAsync()
    {
        _factory = await new SeraiFactory(TestDatabases.NewSqlite(_directory), _directory, backend: "none").StartAsync();
        _alpha = _factory.Client(SeraiFactory.AlphaToken);
    }

    public async Task DisposeAsync()
    {
        await _factory.DisposeAsync();
        TestDatabases.Remove(_directory);
    }

    private async Task<string> ProblemAsync(string field, object body)
    {
        var response = await _alpha.SubmitAsync(body);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.JsonAsync();
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out var messages), problem.ToString());
        return messages[0].GetString()!;
    }

    [Theory]
    [InlineData("output", "/tmp/out-%q.txt", "'/tmp/out-%q.txt' uses %q, which is not a pattern letter. Allowed: %j (job id), %A (array job id)")]
    [InlineData("error", "/tmp/err-%N.txt", "'/tmp/err-%N.txt' uses %N (a node or task of the job)")]
    [InlineData("output", "/tmp/a\0b", "'/tmp/a\\u0000b' holds the control character U+0000 at position 6")]
    [InlineData("output", "/tmp/out-%a.txt", "uses %a, the array task index, but the job is not an array")]
    [InlineData("output", "/tmp/logs/", "names a directory, not a file")]
    public async Task A_pattern_it_cannot_use_is_refused_naming_the_field_the_value_and_what_is_allowed(string field, string pattern, string message)
    {
        var body = new Dictionary<string, object> { ["command"] = (string[])["true"], ["gpus"] = 1, [field] = pattern };
        Assert.Contains(message, await ProblemAsync(field, body), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_over_long_or_relative_pattern_without_a_working_directory_elsewhere_than_the_local_backend_is_refused()
    {
        Assert.Contains("is 5001 characters long; at most 4095",
            await ProblemAsync("output", new { command = (string[])["true"], gpus = 1, output = "/" + new string('a', 5000) }), StringComparison.Ordinal);
        Assert.Contains("may expand to", // %x is the name: a name of 128 characters a few times over
            await ProblemAsync("error", new { command = (string[])["true"], gpus = 1, name = new string('n', 128), error = "/" + string.Concat(Enumerable.Repeat("%x", 40)) }), StringComparison.Ordinal);
        Assert.Contains("'out.txt' is relative and the job names no working directory on the none backend",
            await ProblemAsync("output", new { command = (string[])["true"], gpus = 1, output = "out.txt" }), StringComparison.Ordinal);
        Assert.Contains("expected a file name pattern (a string), got Number",
            await ProblemAsync("output", new { command = (string[])["true"], gpus = 1, output = 5 }), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Each_array_task_shows_the_files_its_patterns_name_and_stderr_goes_with_stdout_unless_given()
    {
        var response = await _alpha.SubmitAsync(new
        {
            command = (string[])["/opt/bin/train.sh"], gpus = 1, array = "0-2", hold = true, workingDirectory = "/data/run",
            output = "logs/%x-%u-%A_%2a.out",
        });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var array = (await response.JsonAsync()).GetProperty("id").GetInt64();
        for (var task = 0; task < 3; task++)
        {
            var job = await _alpha.GetJobAsync(array + task);
            var expected = $"/data/run/logs/train.sh-alpha-{array}_0{task}.out";
            Assert.Equal(expected, job.GetProperty("outputFile").GetString());
            Assert.Equal(expected, job.GetProperty("errorFile").GetString());
        }

        var named = await _alpha.SubmitIdAsync(new { command = (string[])["true"], gpus = 1, hold = true, name = "prep", output = "/data/o-%j.txt", error = "/data/e-%x.txt" });
        var single = await _alpha.GetJobAsync(named);
        Assert.Equal($"/data/o-{named}.txt", single.GetProperty("outputFile").GetString());
        Assert.Equal("/data/e-prep.txt", single.GetProperty("errorFile").GetString());
    }
}
