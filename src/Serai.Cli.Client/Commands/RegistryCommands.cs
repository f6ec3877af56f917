using System.CommandLine;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Serai.Cli.Client;
using Spectre.Console;

namespace Serai.Cli.Commands;

/// <summary>`serai ai-systems list|register|approve`, `serai datasets`, `serai audit`, `serai accounting [--csv]`.</summary>
public static class RegistryCommands
{
    public static Command AiSystems(ClientOptions options)
    {
        var list = options.Add(new Command("list", "Registered AI systems: owner, risk class, approval"));
        options.SetAction(list, async (parse, client, json, ct) =>
        {
            var systems = await client.GetAsync("api/v1/ai-systems", ct);
            if (json)
            {
                ClientOptions.PrintJson(systems);
                return ClientOptions.Ok;
            }
            var table = new Table().AddColumns("ID", "OWNER", "RISK", "APPROVED", "MAY RUN");
            foreach (var a in systems.EnumerateArray())
            {
                table.AddRow(ClientOptions.Escape(ClientOptions.Text(a, "id")), ClientOptions.Escape(ClientOptions.Text(a, "owner")),
                    ClientOptions.Text(a, "risk") + (ClientOptions.Text(a, "riskConfirmed") == "false" ? " (declared)" : ""),
                    ClientOptions.Text(a, "approved"), ClientOptions.Text(a, "mayRun"));
            }
            ClientOptions.Write(table);
            return ClientOptions.Ok;
        });
        var id = new Argument<string>("id") { Description = "The AI system's id" };
        var risk = new Option<string>("--risk") { Description = "Risk class: minimal, medium, high", Required = true };
        var owner = new Option<string?>("--owner") { Description = "Owning tenant (admin; a tenant registers its own)" };
        var register = options.Add(new Command("register", "Register an AI system") { id, risk, owner });
        options.SetAction(register, async (parse, client, json, ct) =>
        {
            var body = new Dictionary<string, object?> { ["id"] = parse.GetValue(id), ["risk"] = parse.GetValue(risk), ["owner"] = parse.GetValue(owner) }
                .Where(p => p.Value is not null).ToDictionary();
            Print(await client.PostAsync("api/v1/ai-systems", body, ct), json, "registered");
            return ClientOptions.Ok;
        });
        var approveId = new Argument<string>("id") { Description = "The AI system's id" };
        var approveRisk = new Option<string?>("--risk") { Description = "The risk class the admin confirms or sets (default: the one declared at registration)" };
        approveRisk.AcceptOnlyFromAmong("minimal", "medium", "high");
        var approve = options.Add(new Command("approve", "Approve an AI system, confirming or setting its risk class (admin)") { approveId, approveRisk });
        options.SetAction(approve, async (parse, client, json, ct) =>
        {
            var body = parse.GetValue(approveRisk) is { } r ? new Dictionary<string, object?> { ["risk"] = r } : null;
            Print(await client.PostAsync($"api/v1/ai-systems/{Uri.EscapeDataString(parse.GetValue(approveId)!)}/approve", body, ct), json, "approved");
            return ClientOptions.Ok;
        });
        return new Command("ai-systems", "The AI-system registry: list, register, approve") { list, register, approve };
    }

    private static void Print(JsonElement system, bool json, string what)
    {
        if (json)
        {
            ClientOptions.PrintJson(system);
        }
        else
        {
            Console.Out.WriteLine($"AI system {ClientOptions.Text(system, "id")} {what} (risk {ClientOptions.Text(system, "risk")}{(ClientOptions.Text(system, "riskConfirmed") == "false" ? ", declared: waits for the admin's confirmation" : "")}, approved {ClientOptions.Text(system, "approved")}, may run {ClientOptions.Text(system, "mayRun")})");
        }
    }

    public static Command Datasets(ClientOptions options)
    {
        var command = options.Add(new Command("datasets", "Datasets visible to this token: owner, size, home site, where they may be processed"));
        options.SetAction(command, async (parse, client, json, ct) =>
        {
            var datasets = await client.GetAsync("api/v1/datasets", ct);
            if (json)
            {
                ClientOptions.PrintJson(datasets);
                return ClientOptions.Ok;
            }
            var table = new Table().AddColumns("NAME", "OWNER", "SIZE GB", "HOME SITE", "ALLOWED COUNTRIES");
            foreach (var d in datasets.EnumerateArray())
            {
                var countries = d.TryGetProperty("allowedCountries", out var c) && c.ValueKind == JsonValueKind.Array ? string.Join(", ", c.EnumerateArray().Select(x => x.GetString())) : "";
                table.AddRow(ClientOptions.Escape(ClientOptions.Text(d, "name")), ClientOptions.Escape(ClientOptions.Text(d, "owner")), ClientOptions.Text(d, "sizeGb"),
                    ClientOptions.Escape(ClientOptions.Text(d, "homeSite")), ClientOptions.Escape(countries));
            }
            ClientOptions.Write(table);
            return ClientOptions.Ok;
        });
        return command;
    }

    public static Command Audit(ClientOptions options)
    {
        var job = new Option<string?>("--job") { Description = "Only entries about this job" };
        var kind = new Option<string?>("--kind") { Description = "Only this kind (place, preempt, reject, cancel, ...)" };
        var limit = new Option<int>("--limit", "-n") { Description = "At most this many entries (1..1000)", DefaultValueFactory = _ => 50 };
        var before = new Option<string?>("--before") { Description = "Entries older than this cursor" };
        var command = options.Add(new Command("audit", "The audit trail, newest first: placements, preemptions, rejections, cancels, registrations") { job, kind, limit, before });
        options.SetAction(command, async (parse, client, json, ct) =>
        {
            var page = await client.GetAsync($"api/v1/audit?limit={parse.GetValue(limit)}" + ClientCommands.Query("job", parse.GetValue(job))
                + ClientCommands.Query("kind", parse.GetValue(kind)) + ClientCommands.Query("before", parse.GetValue(before)), ct);
            if (json)
            {
                ClientOptions.PrintJson(page);
                return ClientOptions.Ok;
            }
            var table = new Table().AddColumns("AT", "KIND", "JOB", "TENANT", "CODE", "MESSAGE");
            foreach (var e in page.GetProperty("items").EnumerateArray())
            {
                table.AddRow(ClientOptions.Time(e, "atUnix"), ClientOptions.Escape(ClientOptions.Text(e, "kind")), ClientOptions.Text(e, "jobId"),
                    ClientOptions.Escape(ClientOptions.Text(e, "tenant")), ClientOptions.Escape(ClientOptions.Text(e, "code")), ClientOptions.Escape(ClientOptions.Text(e, "message")));
            }
            ClientOptions.Write(table);
            if (ClientOptions.Text(page, "next") is { Length: > 0 } next)
            {
                Console.Error.WriteLine($"more: --before {next}");
            }
            return ClientOptions.Ok;
        });
        return command;
    }

    public static Command Accounting(ClientOptions options)
    {
        var period = new Option<string?>("--period") { Description = "A month, YYYY-MM (default: this month)" };
        var from = new Option<string?>("--from") { Description = "Start: ISO date or Unix seconds" };
        var to = new Option<string?>("--to") { Description = "End (excluded): ISO date or Unix seconds" };
        var tenant = new Option<string?>("--tenant") { Description = "Only this tenant (admin)" };
        var csv = new Option<bool>("--csv") { Description = "CSV for spreadsheets and billing: one row per tenant" };
        var command = options.Add(new Command("accounting", "GPU-hours, facility kWh, t CO2 and cost per tenant over a period") { period, from, to, tenant, csv });
        options.SetAction(command, async (parse, client, json, ct) =>
        {
            var query = "api/v1/accounting?" + (ClientCommands.Query("period", parse.GetValue(period)) + ClientCommands.Query("from", parse.GetValue(from))
                + ClientCommands.Query("to", parse.GetValue(to)) + ClientCommands.Query("tenant", parse.GetValue(tenant))).TrimStart('&');
            var accounting = await client.GetAsync(query, ct);
            if (json)
            {
                ClientOptions.PrintJson(accounting);
                return ClientOptions.Ok;
            }
            var tenants = accounting.GetProperty("tenants").EnumerateArray().ToList();
            if (parse.GetValue(csv))
            {
                Console.Out.Write(Csv(accounting, tenants));
                return ClientOptions.Ok;
            }
            var table = new Table().Title($"accounting {ClientOptions.Time(accounting, "fromUnix")} .. {ClientOptions.Time(accounting, "toUnix")}")
                .AddColumns("TENANT", "JOBS", "GPU-HOURS", "kWh", "t CO2", "COST $");
            foreach (var a in tenants)
            {
                table.AddRow(ClientOptions.Escape(ClientOptions.Text(a, "tenant")), ClientOptions.Text(a, "jobs"),
                    ClientCommands.Number(ClientCommands.Double(a, "gpuHours"), "F2"), ClientCommands.Number(ClientCommands.Double(a, "energyKwh"), "F2"),
                    ClientCommands.Number(ClientCommands.Double(a, "co2Tonnes"), "F4"), ClientCommands.Number(ClientCommands.Double(a, "costUsd"), "F2"));
            }
            ClientOptions.Write(table);
            return ClientOptions.Ok;
        });
        return command;
    }

    internal static string Csv(JsonElement accounting, IEnumerable<JsonElement> tenants)
    {
        var text = new StringBuilder("tenant,from,to,jobs,gpu_hours,energy_kwh,co2_tonnes,cost_usd\n");
        foreach (var a in tenants)
        {
            text.Append(CultureInfo.InvariantCulture, $"{CsvField(ClientOptions.Text(a, "tenant"))},{ClientOptions.Time(accounting, "fromUnix")},{ClientOptions.Time(accounting, "toUnix")},")
                .Append(CultureInfo.InvariantCulture, $"{ClientOptions.Text(a, "jobs")},{ClientCommands.Double(a, "gpuHours"):R},{ClientCommands.Double(a, "energyKwh"):R},")
                .Append(CultureInfo.InvariantCulture, $"{ClientCommands.Double(a, "co2Tonnes"):R},{ClientCommands.Double(a, "costUsd"):R}\n");
        }
        return text.ToString();
    }

    private static string CsvField(string value) =>
        value.IndexOfAny([',', '"', '\n', '\r']) >= 0 ? $"\"{value.Replace("\"", "\"\"", StringComparison.Ordinal)}\"" : value;
}
