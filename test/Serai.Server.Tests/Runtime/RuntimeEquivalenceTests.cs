using Dapper;
using Serai.Runtime.Lifecycle;

namespace Serai.Server.Tests.Runtime;

/// <summary>The simulator and the server run one runtime: same decisions, same ends, same accounting.</summary>
public sealed class RuntimeEquivalenceTests
{
    [Fact]
    public void The_simulator_and_the_servers_runtime_give_the_same_decisions_end_states_and_accounting()
    {
        using var runs = new RuntimeRuns();
        var (sim, simLog) = runs.RunAsSimulator();
        var (server, serverLog) = runs.RunAsServer();
        Assert.True(sim.Counters.Preemptions > 0 && sim.Counters.Throttles > 0,
            $"the workload must preempt and throttle: {sim.Counters.Preemptions} preemptions, {sim.Counters.Throttles} throttles");
        Assert.True(simLog.Decisions.Count > 400, $"{simLog.Decisions.Count} decisions");
        Assert.Equal(simLog.Decisions, serverLog.Decisions);
        Assert.Equal(simLog.Starts, serverLog.Starts);
        for (var i = 0; i < sim.Jobs.Count; i++)
        {
            Assert.Equal(sim.Jobs.Phase[i], server.Jobs.Phase[i]);
            Assert.Equal(sim.Jobs.EndUnix[i], server.Jobs.EndUnix[i]);
            Assert.Equal(sim.Jobs.FacilityJoules[i] / 3600, server.Jobs.FacilityJoules[i] / 3600, 6);
            Assert.Equal(sim.Jobs.CarbonGrams[i], server.Jobs.CarbonGrams[i], 6);
        }
        Assert.All(Enumerable.Range(0, sim.Jobs.Count), i => Assert.Equal(JobPhase.Succeeded, sim.Jobs.Phase[i]));

        // what the server's database says each job used equals the simulator's accounting to the watt-hour
        using var c = runs.Database!.Open();
        var booked = c.Query<(long Job, double Kwh, double Co2Kg)>("select job_id, sum(energy_kwh), sum(co2_kg) from usage_segments group by job_id")
            .ToDictionary(r => r.Job);
        for (var i = 0; i < sim.Jobs.Count; i++)
        {
            var kwh = booked.TryGetValue(i, out var b) ? b.Kwh : 0;
            Assert.True(Math.Abs(sim.Jobs.FacilityJoules[i] / 3.6e6 - kwh) < 0.001, $"job {i}: simulator {sim.Jobs.FacilityJoules[i] / 3.6e6:F4} kWh, database {kwh:F4} kWh");
        }
        var states = c.Query<string>("select distinct state from jobs").ToList();
        Assert.Equal(["succeeded"], states);
    }
}
