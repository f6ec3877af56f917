using System.Globalization;
using System.Text;
using Serai.Simulation.Engine;

namespace Serai.Simulation.Output;

/// <summary>
/// jobs.csv: one row per job. Times are Unix seconds (start = the start of the run that finished, -1 if none);
/// energy is the IT energy booked to the job (its GPUs at their allowed power plus its share of node overhead);
/// carbon includes the facility overhead (PUE), hour by hour; it_watts is the IT power the job adds
/// to its site above idle at its requested power fraction, so power can be recomputed from this file alone;
/// deferrable is 1 for a job that may wait for a cleaner hour, deferred_until the time the scheduler last parked it until (0: never deferred).
/// </summary>
public static class JobsCsv
{
    public const string Header = "job,tenant,site,accelerator,gpus,submit,start,end,energy_kwh,carbon_kg,preemptions,status,priority,first_start,it_watts,deferrable,deferred_until";

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
            while (!row.AsSpan().TryWrite(c, $",{site},{model},{spec.GpuShare:0.###},{spec.SubmitUnix},{jobs.LastStartUnix[i]},{jobs.EndUnix[i]},{new ThreeDecimals(jobs.ItJoules[i] / 3.6e6)},{new ThreeDecimals(jobs.CarbonGrams[i] / 1000)},{jobs.Preemptions[i]},{Lower(sim.Status(i))},{Lower(spec.Priority)},{jobs.FirstStartUnix[i]},{itWatts:F0},{(spec.Deferrable ? 1 : 0)},{sim.DeferredUntilUnix[i]}", out written))
            {
                row = new char[row.Length * 2]; // long site or model names
            }
            writer.Write(row, 0, written);
            writer.WriteLine();
        }
    }

    private static string Csv(string text) => text.Contains(',') || text.Contains('"') ? "\"" + text.Replace("\"", "\"\"") + "\"" : text;

    /// <summary>
    /// A number written as "F3" writes it, from its thousandths as a whole number: the general float formatter costs
    /// more than the rest of a row, and the file has a row per job. Negative, huge or non-finite values, and
    /// those within a hair of half a thousandth, go to "F3".
    /// </summary>
    internal readonly struct ThreeDecimals(double value) : ISpanFormattable
    {
        public bool TryFormat(Span<char> destination, out int charsWritten, ReadOnlySpan<char> format, IFormatProvider? provider)
        {
            var scaled = value * 1000;
            if (!(value >= 0 && value < 1e12) || Math.Abs(scaled - Math.Floor(scaled) - 0.5) < 1e-6)
            {
                // near a half thousandth the product's rounding may differ from the exact value's: let "F3" decide
                return value.TryFormat(destination, out charsWritten, "F3", CultureInfo.InvariantCulture);
            }
            var thousandths = (long)Math.Round(scaled);
            charsWritten = 0;
            if (!(thousandths / 1000).TryFormat(destination, out var whole, default, CultureInfo.InvariantCulture) || destination.Length < whole + 4)
            {
                return false;
            }
            var fraction = (int)(thousandths % 1000);
            destination[whole] = '.';
            destination[whole + 1] = (char)('0' + fraction / 100);
            destination[whole + 2] = (char)('0' + fraction / 10 % 10);
            destination[whole + 3] = (char)('0' + fraction % 10);
            charsWritten = whole + 4;
            return true;
        }

        public string ToString(string? format, IFormatProvider? formatProvider)
        {
            Span<char> text = stackalloc char[32];
            return TryFormat(text, out var written, format, formatProvider) ? new string(text[..written]) : value.ToString("F3", CultureInfo.InvariantCulture);
        }

        public override string ToString() => ToString(null, null);
    }

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
