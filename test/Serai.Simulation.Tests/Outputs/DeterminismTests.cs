using Serai.Scheduling.Profiles;
using Serai.Simulation.Output;
using Serai.Simulation.Tests.Support;

namespace Serai.Simulation.Tests.Outputs;

public class DeterminismTests
{
    private static string JobsCsvOf(int seed)
    {
        var hub = Runs.SampleHub();
        var run = Runs.Run(hub, Runs.Sample(hub, seed), BuiltInProfiles.Serai);
        var writer = new StringWriter { NewLine = "\n" };
        JobsCsv.Write(run.Simulator, writer);
        return writer.ToString();
    }

    [Fact]
    public void Same_inputs_and_seed_give_byte_identical_jobs_csv()
    {
        var first = JobsCsvOf(7);
        var second = JobsCsvOf(7);
        Assert.Equal(first, second);
        Assert.StartsWith(JobsCsv.Header + "\n", first);
        Assert.True(first.Split('\n').Length > 5000);
    }

    [Fact]
    public void Another_seed_draws_other_job_attributes()
    {
        var hub = Runs.SampleHub();
        var a = Runs.Sample(hub, 1);
        var b = Runs.Sample(hub, 2);
        Assert.NotEqual(a.Jobs.Select(j => j.Checkpointable), b.Jobs.Select(j => j.Checkpointable)); // no job is deferrable by default
    }
}
