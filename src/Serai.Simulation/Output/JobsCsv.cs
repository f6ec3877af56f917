using System.Globalization;
using System.Text;
using Serai.Simulation.Engine;

namespace Serai.Simulation.Output;

/// <summary>
/// jobs.csv: one row per job. Times are Unix seconds (start = the start of the run that finished, -1 if none);
/// energy is the IT energy booked to the job (its GPUs at their allowed power plus its share of node overhead);
/// carbon includes the facility overhead (PUE), hour by hour; it_watts is the IT power the job adds
/// to its site above idle at its requested power fraction, so power can be recomputed from this file alone.
/// </summary>
public static class JobsCsv
{
    public const string Header = "job,tenant,site,accelerator,gpus,submit,start,end,energy_kwh,carbon_kg,preemptions,status,priority,first_start,it_watts";

    public static void Write(Simulator sim, string path)
    {
        using var writer = new StreamWriter(path, false, new UTF8Encoding(false), 1 << 16) { NewLine = "\n" };
        Write(sim, writer);
    }

    public static void Write(Simulator sim, TextWriter writer)
    {
        var c = CultureInfo.InvariantCulture;
        var hub = sim.Hub;
        var jobs = sim.Jobs;
        writer.WriteLine(Header);
        for (var i = 0; i < jobs.Count; i++)
        {
            var spec = sim.Workload.Jobs[i];
            var pool = jobs.Pool[i] >= 0 ? hub.Pools[jobs.Pool[i]] : null;
            var site = pool is null ? "" : hub.Sites[pool.Site].Name;
            var model = pool?.Accelerator.Model ?? "";
            var itWatts = pool is null ? 0 : spec.GpuShare * Math.Max(0, pool.Accelerator.TdpWatts * spec.PowerFraction - pool.Accelerator.IdleWatts);
            writer.Write(Csv(sim.Workload.NameOf(i)));
            writer.Write(',');
            writer.Write(Csv(hub.Tenants[spec.Tenant].Name));
            writer.Write(string.Create(c, $",{site},{model},{spec.GpuShare:0.###},{spec.SubmitUnix},{jobs.LastStartUnix[i]},{jobs.EndUnix[i]},"));
            writer.Write(string.Create(c, $"{jobs.ItJoules[i] / 3.6e6:F3},{jobs.CarbonGrams[i] / 1000:F3},{jobs.Preemptions[i]},"));
            writer.WriteLine(string.Create(c, $"{sim.Status(i).ToString().ToLowerInvariant()},{spec.Priority.ToString().ToLowerInvariant()},{jobs.FirstStartUnix[i]},{itWatts:F0}"));
        }
    }

    private static string Csv(string text) => text.Contains(',') || text.Contains('"') ? "\"" + text.Replace("\"", "\"\"") + "\"" : text;
}
