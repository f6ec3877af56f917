using System.Globalization;
using Serai.Core.Model;

namespace Serai.Simulation.Scenarios;

/// <summary>
/// Parses --scenario values (days count from the simulation start; times are rounded to the hour):
/// <c>heatwave[:SITE][@DAY][+DAYS][:+C]</c> (default: the hottest site, day 10, 5 days, +8 °C),
/// <c>vendor-cutoff:VENDOR@DAY</c> (no new work), <c>vendor-gone:VENDOR@DAY</c> (accelerators disappear),
/// <c>grid:SITE@DAY+HOURS:FRACTION</c> (IT cap lowered to a fraction), <c>site-failure:SITE@DAY+HOURS</c>,
/// <c>node-failures:MTBF_HOURS</c> (seeded, each failed node back after 4 hours).
/// </summary>
public static class ScenarioParser
{
    public const string Syntax = "heatwave[:SITE][@DAY][+DAYS][:+C], vendor-cutoff:VENDOR@DAY, vendor-gone:VENDOR@DAY, grid:SITE@DAY+HOURS:FRACTION, site-failure:SITE@DAY+HOURS, node-failures:MTBF_HOURS";

    public static Scenario Parse(IEnumerable<string> specs, HubModel hub, long startUnix, long horizonUnix, int seed)
    {
        var steps = new List<ScenarioStep>();
        var waves = new List<HeatWave>();
        var cuts = new List<VendorCutoff>();
        var names = new List<string>();
        foreach (var raw in specs.SelectMany(s => s.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)))
        {
            names.Add(raw);
            var (kind, rest) = raw.IndexOf(':') is var c and >= 0 ? (raw[..c], raw[(c + 1)..]) : (raw, "");
            switch (kind.ToLowerInvariant())
            {
                case "heatwave":
                    var wave = HeatWave(rest, hub, startUnix, raw);
                    waves.Add(wave);
                    steps.Add(new ScenarioStep(wave.FromUnix, StepKind.HeatWaveOn, wave.Site, Value: wave.OffsetC));
                    steps.Add(new ScenarioStep(wave.ToUnix, StepKind.HeatWaveOff, wave.Site, Value: wave.OffsetC));
                    break;
                case "vendor-cutoff":
                case "vendor-gone":
                    var (vendor, day) = Split(rest, '@', raw);
                    if (!hub.Accelerators.Any(a => string.Equals(a.Vendor, vendor, StringComparison.OrdinalIgnoreCase)))
                    {
                        throw Error(raw, $"vendor '{vendor}' is not in the hub; vendors: {string.Join(", ", hub.Accelerators.Select(a => a.Vendor).Distinct())}");
                    }
                    var at = At(startUnix, Number(day, raw) * 24);
                    var gone = kind.Equals("vendor-gone", StringComparison.OrdinalIgnoreCase);
                    cuts.Add(new VendorCutoff(vendor, at, gone));
                    steps.Add(new ScenarioStep(at, gone ? StepKind.VendorGone : StepKind.VendorClosed, Vendor: vendor));
                    break;
                case "grid":
                    var (gridSite, gridRest) = Split(rest, '@', raw);
                    var (gridWhen, fraction) = Split(gridRest, ':', raw);
                    var (gridDay, gridHours) = Split(gridWhen, '+', raw);
                    var s = SiteOf(hub, gridSite, raw);
                    var from = At(startUnix, Number(gridDay, raw) * 24);
                    var cap = hub.Sites[s].ItCapWatts * Number(fraction, raw);
                    steps.Add(new ScenarioStep(from, StepKind.GridCapOn, s, Value: cap));
                    steps.Add(new ScenarioStep(from + (long)(Number(gridHours, raw) * 3600), StepKind.GridCapOff, s, Value: cap));
                    break;
                case "site-failure":
                    var (failSite, failWhen) = Split(rest, '@', raw);
                    var (failDay, failHours) = Split(failWhen, '+', raw);
                    var fs = SiteOf(hub, failSite, raw);
                    var down = At(startUnix, Number(failDay, raw) * 24);
                    steps.Add(new ScenarioStep(down, StepKind.SiteDown, fs));
                    steps.Add(new ScenarioStep(down + (long)(Number(failHours, raw) * 3600), StepKind.SiteUp, fs));
                    break;
                case "node-failures":
                    NodeFailures(hub, Number(rest, raw), startUnix, horizonUnix, seed, steps);
                    break;
                default:
                    throw Error(raw, "unknown scenario");
            }
        }
        return names.Count == 0 ? Scenario.None : new Scenario(string.Join(";", names), steps, waves, cuts);
    }

    private static HeatWave HeatWave(string rest, HubModel hub, long startUnix, string raw)
    {
        var site = hub.Sites.OrderByDescending(s => s.TemperatureC.Max).First().Index;
        double day = 10, days = 5, offset = 8;
        var text = rest;
        var colon = text.LastIndexOf(":+", StringComparison.Ordinal);
        if (colon >= 0)
        {
            offset = Number(text[(colon + 2)..], raw);
            text = text[..colon];
        }
        var plus = text.IndexOf('+');
        if (plus >= 0)
        {
            days = Number(text[(plus + 1)..], raw);
            text = text[..plus];
        }
        var at = text.IndexOf('@');
        if (at >= 0)
        {
            day = Number(text[(at + 1)..], raw);
            text = text[..at];
        }
        if (text.Length > 0)
        {
            site = SiteOf(hub, text, raw);
        }
        var from = At(startUnix, day * 24);
        return new HeatWave(site, from, from + (long)Math.Round(days * 86400), offset);
    }

    private static void NodeFailures(HubModel hub, double mtbfHours, long startUnix, long horizonUnix, int seed, List<ScenarioStep> steps)
    {
        var random = new Random(seed ^ 0x5eed);
        foreach (var pool in hub.Pools)
        {
            var rate = pool.Nodes / (mtbfHours * 3600); // failures per second in the pool
            var t = (double)startUnix;
            while (true)
            {
                t += -Math.Log(1 - random.NextDouble()) / rate;
                if (t >= horizonUnix)
                {
                    break;
                }
                var node = random.Next(pool.Nodes);
                steps.Add(new ScenarioStep((long)t, StepKind.NodeDown, pool.Site, pool.Index, node));
                steps.Add(new ScenarioStep((long)t + 4 * 3600, StepKind.NodeUp, pool.Site, pool.Index, node));
            }
        }
    }

    private static long At(long startUnix, double hours) => startUnix + (long)Math.Round(hours) * 3600;

    private static int SiteOf(HubModel hub, string name, string raw) =>
        hub.SiteIndex(name) ?? throw Error(raw, $"site '{name}' is not in the hub; sites: {string.Join(", ", hub.Sites.Select(s => s.Name))}");

    private static (string, string) Split(string text, char separator, string raw)
    {
        var i = text.IndexOf(separator);
        return i < 0 ? throw Error(raw, $"expected '{separator}'") : (text[..i], text[(i + 1)..]);
    }

    private static double Number(string text, string raw) =>
        double.TryParse(text.TrimStart('+'), NumberStyles.Float, CultureInfo.InvariantCulture, out var v) && double.IsFinite(v) && v >= 0
            ? v
            : throw Error(raw, $"'{text}' is not a non-negative number");

    private static ArgumentException Error(string raw, string message) => new($"--scenario {raw}: {message}; syntax: {Syntax}");
}
