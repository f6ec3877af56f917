using System.Text;
using Serai.Execution;

namespace Serai.Slurm.Tests.Live;

/// <summary>A job's output pattern on a real cluster: Serai expands it (its own ids, not Slurm's) and slurmd writes the file there.</summary>
[Collection(SerialSlurm.Name)]
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class OutputFileTests
{
    [Fact]
    public async Task The_expanded_output_file_is_where_the_pattern_says_and_a_later_attempt_appends_to_it()
    {
        if (!LiveClusters.Available())
        {
            return;
        }
        var directory = Path.Combine(Path.GetTempPath(), "serai-slurm-output-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(directory);
        File.SetUnixFileMode(directory, (UnixFileMode)0x1FF);
        try
        {
            using var backend = LiveClusters.Backend("kz");
            var events = new EventLog(backend);
            var jobId = LiveClusters.NewJobId();
            var expanded = OutputPattern.Expand("run-%j_%x-100%%.txt", new OutputNames(jobId, null, null, "train", "gov"));
            var path = OutputPattern.Resolve(expanded, directory);
            Assert.Equal(Path.Combine(directory, $"run-{jobId}_train-100%.txt"), path);

            foreach (var attempt in (int[])[1, 2])
            {
                var launch = LiveClusters.Launch("kz", 0, ["sh", "-c", "echo out $SERAI_ATTEMPT; echo err $SERAI_ATTEMPT >&2"], jobId: jobId, attempt: attempt)
                    with { WorkingDirectory = directory, OutputPath = path, ErrorPath = path };
                await backend.DispatchAsync(launch, CancellationToken.None);
                var ended = await events.WaitForAsync<JobEnded>(e => e.Job == launch.Job, 60);
                Assert.Equal(0, ended.ExitCode);
            }

            Assert.Equal([path], Directory.GetFiles(directory)); // Slurm did not expand the '%' once more, nor write elsewhere
            var lines = File.ReadAllLines(path);
            Assert.Equal("out 1", lines[0]);
            Assert.Equal("err 1", lines[1]);
            Assert.StartsWith($"==== serai: job {jobId} attempt 2 started ", lines[2], StringComparison.Ordinal);
            Assert.Equal(["out 2", "err 2"], lines[3..]);
            var chunk = await backend.ReadLogAsync(new JobLogFile("kz", jobId, "gov", LogStream.Stdout, path), 0, 1 << 20, CancellationToken.None);
            Assert.Equal(File.ReadAllText(path), Encoding.UTF8.GetString(chunk.Bytes));
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }
}
