using Serai.Core.Jobs;

namespace Serai.Simulation.Workloads;

/// <summary>
/// Jobs to replay, sorted by submit time: job i has <see cref="JobId"/> i and needs <see cref="DurationSeconds"/>[i]
/// seconds of work at full speed. <see cref="Names"/> keeps the trace's own job ids for jobs.csv.
/// </summary>
public sealed class Workload
{
    private Workload(JobSpec[] jobs, long[] durationSeconds, string?[]? names)
    {
        Jobs = jobs;
        DurationSeconds = durationSeconds;
        Names = names;
    }

    public JobSpec[] Jobs { get; }
    public long[] DurationSeconds { get; }
    public string?[]? Names { get; }
    public int Count => Jobs.Length;

    public string NameOf(int job) => Names?[job] ?? job.ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Sorts by submit time (stable), renumbers ids to positions and clamps durations to at least one second.</summary>
    public static Workload Create(IReadOnlyList<JobSpec> specs, IReadOnlyList<long> durationSeconds, IReadOnlyList<string?>? names = null)
    {
        var order = new int[specs.Count];
        for (var i = 0; i < order.Length; i++)
        {
            order[i] = i;
        }
        var submit = specs.Select(s => s.SubmitUnix).ToArray();
        Array.Sort(submit, order);
        StableFix(order, specs);
        var jobs = new JobSpec[order.Length];
        var durations = new long[order.Length];
        var keptNames = names is null ? null : new string?[order.Length];
        for (var i = 0; i < order.Length; i++)
        {
            var o = order[i];
            jobs[i] = specs[o].Id.Value == i ? specs[o] : specs[o] with { Id = new JobId(i) };
            durations[i] = Math.Max(1, durationSeconds[o]);
            if (keptNames is not null)
            {
                keptNames[i] = names![o];
            }
        }
        return new Workload(jobs, durations, keptNames);
    }

    /// <summary>Array.Sort is not stable: within equal submit times, restore the input order.</summary>
    private static void StableFix(int[] order, IReadOnlyList<JobSpec> specs)
    {
        var start = 0;
        while (start < order.Length)
        {
            var end = start + 1;
            while (end < order.Length && specs[order[end]].SubmitUnix == specs[order[start]].SubmitUnix)
            {
                end++;
            }
            if (end - start > 1)
            {
                Array.Sort(order, start, end - start);
            }
            start = end;
        }
    }
}
