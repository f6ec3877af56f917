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
        var row = new char[256];
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
            // formatted into one buffer, not a string per row: this file has a row per job of the workload
            int written;
            while (!row.AsSpan().TryWrite(c, $",{site},{model},{spec.GpuShare:0.###},{spec.SubmitUnix},{jobs.LastStartUnix[i]},{jobs.EndUnix[i]},{jobs.ItJoules[i] / 3.6e6:F3},{jobs.CarbonGrams[i] / 1000:F3},{jobs.Preemptions[i]},{Lower(sim.Status(i))},{Lower(spec.Priority)},{jobs.FirstStartUnix[i]},{itWatts:F0}", out written))
            {
                row = new char[row.Length * 2]; // long site or model names
            }
            writer.Write(row, 0, written);
            writer.WriteLine();
        }
    }

    private static string Csv(string text) => text.Contains(',') || text.Contains('"') ? "\"" + text.Replace("\"", "\"\"") + "\"" : text;

    private static string Lower<T>(T value)
        where T : struct, Enum => LowerNames<T>.Of(value);

    /// <summary>An enum's names in lower case, made once per value.</summary>
    private static class LowerNames<T>
        where T : struct, Enum
    {
        private static readonly Dictionary<T, string> Names = Enum.GetValues<T>().Distinct().ToDictionary(v => v, v => v.ToString().ToLowerInvariant());

        public static string Of(T value) => Names.TryGetValue(value, out var name) ? name : value.ToString().ToLowerInvariant();
    }
}
