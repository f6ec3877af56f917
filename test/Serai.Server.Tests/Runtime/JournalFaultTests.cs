using Dapper;
using Serai.Runtime.Lifecycle;

namespace Serai.Server.Tests.Runtime;

/// <summary>A journal write that fails leaves nothing half done: no GPU held for a job that is not starting or running, no job run twice.</summary>
public sealed class JournalFaultTests
{
    [Theory]
    [InlineData(3)]
    [InlineData(7)]
    [InlineData(13)]
    public void When_journal_writes_fail_no_gpu_is_held_by_a_job_that_does_not_run_and_no_job_runs_twice(int failEvery)
    {
        using var runs = new RuntimeRuns();
        var writes = 0;
        var failed = 0;
        var (sim, log) = runs.RunAsServer(() =>
        {
            var fail = ++writes % failEvery == 0;
            failed += fail ? 1 : 0;
            return fail;
        });
        Assert.True(failed > 10, $"only {failed} writes failed");
        Assert.True(sim.Counters.JournalFailures > 0);

        // memory: GPUs are held exactly by jobs admitted, starting or running
        for (var i = 0; i < sim.Jobs.Count; i++)
        {
            var holds = sim.State.Running.ContainsKey(new Core.Jobs.JobId(i));
            Assert.Equal(sim.Jobs.Phase[i].HoldsGpus(), holds);
        }
        // no attempt of a job started twice, and a job never had two attempts at once
        Assert.Equal(log.Starts.Count, log.Starts.Select(s => s[(s.IndexOf(' ') + 1)..]).Distinct().Count());

        // the database agrees with memory about every job
        using var c = runs.Database!.Open();
        var stored = c.Query<(long Id, string State)>("select id, state from jobs").ToDictionary(r => r.Id, r => r.State);
        for (var i = 0; i < sim.Jobs.Count; i++)
        {
            Assert.Equal(Jobs.JobPhaseStates.Of(sim.Jobs.Phase[i]), stored[i]);
        }
    }
}
