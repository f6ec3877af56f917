using System.Globalization;
using Serai.Config.Summary;
using Spectre.Console;

namespace Serai.Cli.Commands;

/// <summary>Renders a <see cref="HubSummary"/> as Spectre.Console tables on the given writer.</summary>
internal static class HubTables
{
    private const int RedirectedWidth = 160;

    public static void Write(HubSummary hub, TextWriter writer)
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(writer) });
        if (Console.IsOutputRedirected || writer != Console.Out)
        {
            console.Profile.Width = RedirectedWidth; // a pipe or a file has no width; keep rows on one line
        }
        console.Write(new Rule($"[bold]{Markup.Escape(hub.Name)}[/]") { Justification = Justify.Left });
        console.WriteLine(Invariant(
            $"{hub.TotalGpus:N0} GPUs, {hub.TotalGridMw:0.###} MW grid, {hub.TotalItCapMw:0.###} MW IT cap, {hub.TotalPeakItMw:0.###} MW IT with every GPU at TDP"));
        console.Write(Sites(hub));
        console.Write(Fleet(hub));
        console.Write(Tenants(hub));
        if (hub.Datasets.Count > 0)
        {
            console.Write(Table("Datasets", ["dataset", "owner", "size GB", "home site", "allowed countries"],
                hub.Datasets.Select(d => new[] { d.Name, d.Owner, Invariant($"{d.SizeGb:N0}"), d.HomeSite, string.Join(",", d.AllowedCountries) })));
        }
        if (hub.AiSystems.Count > 0)
        {
            console.Write(Table("AI systems", ["AI system", "owner", "risk", "approved", "may run"],
                hub.AiSystems.Select(a => new[] { a.Id, a.Owner, a.Risk, a.Approved ? "yes" : "no", a.MayRun ? "yes" : "NO" })));
        }
    }

    private static Table Sites(HubSummary hub) => Table("Sites",
        ["site", "country", "grid MW", "IT cap MW", "GPUs", "peak IT MW", "°C min–max", "PUE min–max", "gCO2/kWh", "USD/kWh"],
        hub.Sites.Select(s => new[]
        {
            s.Name, s.Country, Invariant($"{s.GridMw:0.###}"), Invariant($"{s.ItCapMw:0.###}"), Invariant($"{s.Gpus:N0}"),
            Invariant($"{s.PeakItMw:0.###}"), Invariant($"{s.MinTemperatureC:0}–{s.MaxTemperatureC:0}"),
            Invariant($"{s.PueMin:0.00}–{s.PueMax:0.00}"), Invariant($"{s.MeanCarbonGPerKwh:0}"), Invariant($"{s.MeanPriceUsdPerKwh:0.000}"),
        }));

    private static Table Fleet(HubSummary hub) => Table("GPUs by vendor and model", ["vendor", "model", "stack", "GPUs", "sites"],
        hub.Fleet.Select(f => new[] { f.Vendor, f.Model, f.Stack, Invariant($"{f.Gpus:N0}"), string.Join(", ", f.Sites) }));

    private static Table Tenants(HubSummary hub) => Table("Tenants",
        ["tenant", "guaranteed GPUs", "borrow limit", "weight", "countries", "priority classes"],
        hub.Tenants.Select(t => new[]
        {
            t.Name,
            t.GuaranteedGpus.Count == 0 ? "-" : string.Join(", ", t.GuaranteedGpus.Select(g => Invariant($"{g.Key} {g.Value:N0}"))),
            Invariant($"{t.BorrowLimitGpus:N0}"), Invariant($"{t.FairShareWeight:0.##}"),
            string.Join(",", t.AllowedCountries), string.Join(",", t.PriorityClasses),
        }));

    private static Table Table(string title, string[] columns, IEnumerable<string[]> rows)
    {
        var table = new Table { Title = new TableTitle(title), Border = TableBorder.Rounded };
        foreach (var column in columns)
        {
            table.AddColumn(new TableColumn(Markup.Escape(column)));
        }
        foreach (var row in rows)
        {
            table.AddRow(row.Select(cell => (Spectre.Console.Rendering.IRenderable)new Text(cell)).ToArray());
        }
        return table;
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
