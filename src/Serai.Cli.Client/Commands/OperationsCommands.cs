using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Serai.Cli.Client;
using Spectre.Console;

namespace Serai.Cli.Commands;

/// <summary>
/// Live site operations (admin): `serai site override|clear-override|drain|resume|down|up|feed`, `serai pool drain|resume`,
/// `serai node drain|resume`, `serai vendor cut|restore`, and `serai operations` (what is in force, and who did what and why).
/// </summary>
public static class OperationsCommands
{
    public static IEnumerable<Command> Create(ClientOptions options)
    {
        yield return Site(options);
        yield return Group(options, "pool", "Drain or resume a pool (SITE/POOL)", "SITE/POOL", 2, "pools/{1}");
        yield return Group(options, "node", "Drain or resume one node of a pool (SITE/POOL/NODE, nodes numbered from 0)", "SITE/POOL/NODE", 3, "pools/{1}/nodes/{2}");
        yield return Vendor(options);
        yield return Operations(options);
    }

    private static Option<string> Reason() => new("--reason", "-r") { Description = "Why (kept in the audit trail with who did it)", Required = true };

    private static Option<string?> By() => new("--by") { Description = "Who does it (default: your login name)" };

    private static Option<string> Mode() => new("--mode")
    {
        Description = "What running jobs do: finish (run to their end) or requeue (stopped, checkpointable ones checkpoint, queued again elsewhere)",
        DefaultValueFactory = _ => "finish",
    };

    private static Command Site(ClientOptions options)
    {
        var site = new Command("site", "Operate a site (admin): override its conditions, drain or resume it, mark it down or up, feed measured conditions");
        site.Subcommands.Add(Override(options));
        foreach (var (name, path, description, hasMode) in new[]
        {
            ("clear-override", "override/clear", "Clear the site's override", false),
            ("drain", "drain", "Drain the site: no new work; running jobs finish or are requeued (--mode)", true),
            ("resume", "resume", "Resume a drained site", false),
            ("down", "down", "Mark the site down: its jobs are requeued elsewhere within their rules", false),
            ("up", "up", "Mark the site up again", false),
        })
        {
            site.Subcommands.Add(Action(options, name, description, "SITE", 1, $"api/v1/sites/{{0}}/{path}", hasMode));
        }
        site.Subcommands.Add(Feed(options));
        site.Subcommands.Add(Curtail(options));
        site.Subcommands.Add(Curtailment(options));
        site.Subcommands.Add(Curtailments(options));
        return site;
    }

    private static Command Group(ClientOptions options, string name, string description, string argument, int parts, string path)
    {
        var group = new Command(name, description + " (admin)");
        group.Subcommands.Add(Action(options, "drain", $"Drain the {name}: no new work; running jobs finish or are requeued (--mode)", argument, parts, $"api/v1/sites/{{0}}/{path}/drain", true));
        group.Subcommands.Add(Action(options, "resume", $"Resume a drained {name}", argument, parts, $"api/v1/sites/{{0}}/{path}/resume", false));
        return group;
    }

    private static Command Vendor(ClientOptions options)
    {
        var group = new Command("vendor", "Cut a vendor's accelerators off, or restore them (admin)");
        group.Subcommands.Add(Action(options, "cut", "Cut the vendor off: its pools take no new work; running jobs finish or are requeued (--mode)", "VENDOR", 1, "api/v1/vendors/{0}/cut", true));
        group.Subcommands.Add(Action(options, "restore", "Restore a vendor cut off", "VENDOR", 1, "api/v1/vendors/{0}/restore", false));
        return group;
    }

    /// <summary>One action on a target named by SITE, SITE/POOL or SITE/POOL/NODE (or a vendor): POSTs reason, by and mode.</summary>
    private static Command Action(ClientOptions options, string name, string description, string argument, int parts, string path, bool hasMode)
    {
        var target = new Argument<string>(argument.Replace('/', '-').ToLowerInvariant()) { Description = argument };
        var reason = Reason();
        var by = By();
        var mode = Mode();
        var command = options.Add(new Command(name, description) { target, reason, by });
        if (hasMode)
        {
            command.Options.Add(mode);
        }
        options.SetAction(command, async (parse, client, json, ct) =>
        {
            var names = parse.GetValue(target)!.Split('/');
            if (names.Length != parts || names.Any(n => n.Length == 0))
            {
                Console.Error.WriteLine($"error: '{parse.GetValue(target)}' is not {argument}");
                return ClientOptions.UsageError;
            }
            var body = new Dictionary<string, object?> { ["reason"] = parse.GetValue(reason), ["by"] = parse.GetValue(by) ?? Environment.UserName };
            if (hasMode)
            {
                body["mode"] = parse.GetValue(mode);
            }
            var url = string.Format(CultureInfo.InvariantCulture, path, [.. names.Select(Uri.EscapeDataString)]);
            Print(await client.PostAsync(url, body, ct), json);
            return ClientOptions.Ok;
        });
        return command;
    }

    private static Command Override(ClientOptions options)
    {
        var site = new Argument<string>("site") { Description = "SITE" };
        var temperature = new Option<double?>("--temperature") { Description = "Outdoor temperature, °C (instead of the model and any feed)" };
        var offset = new Option<double?>("--temperature-offset") { Description = "Degrees added to the modelled temperature" };
        var cap = new Option<double?>("--it-cap") { Description = "IT power cap, MW" };
        var grid = new Option<double?>("--grid") { Description = "Grid connection (facility power), MW" };
        var until = new Option<string?>("--until") { Description = "End time, ISO 8601 (2026-07-01T18:00Z)" };
        var forDuration = new Option<string?>("--for") { Description = "Duration instead of an end time: 90m, 4h, 2d" };
        var reason = Reason();
        var by = By();
        var command = options.Add(new Command("override", "Override a site's temperature, IT cap or grid connection, until an end time") { site, temperature, offset, cap, grid, until, forDuration, reason, by });
        options.SetAction(command, async (parse, client, json, ct) =>
        {
            var body = new Dictionary<string, object?> { ["reason"] = parse.GetValue(reason), ["by"] = parse.GetValue(by) ?? Environment.UserName };
            Put(body, "temperatureC", parse.GetValue(temperature));
            Put(body, "temperatureOffsetC", parse.GetValue(offset));
            Put(body, "itCapWatts", parse.GetValue(cap) * 1e6);
            Put(body, "gridWatts", parse.GetValue(grid) * 1e6);
            if (parse.GetValue(until) is { } u)
            {
                if (!DateTimeOffset.TryParse(u, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at))
                {
                    Console.Error.WriteLine($"error: --until '{u}' is not a time; give ISO 8601 such as 2026-07-01T18:00Z");
                    return ClientOptions.UsageError;
                }
                body["untilUnix"] = at.ToUnixTimeSeconds();
            }
            if (parse.GetValue(forDuration) is { } d)
            {
                if (Seconds(d) is not { } seconds)
                {
                    Console.Error.WriteLine($"error: --for '{d}' is not a duration; give a number and s, m, h or d (90m, 4h)");
                    return ClientOptions.UsageError;
                }
                body["forSeconds"] = seconds;
            }
            Print(await client.PostAsync($"api/v1/sites/{Uri.EscapeDataString(parse.GetValue(site)!)}/override", body, ct), json);
            return ClientOptions.Ok;
        });
        return command;
    }

    private static Command Feed(ClientOptions options)
    {
        var site = new Argument<string>("site") { Description = "SITE" };
        var temperature = new Option<double?>("--temperature") { Description = "Measured outdoor temperature, °C" };
        var it = new Option<double?>("--it-kw") { Description = "Measured IT power, kW" };
        var facility = new Option<double?>("--facility-kw") { Description = "Measured facility power, kW" };
        var command = options.Add(new Command("feed", "Feed measured conditions of a site (what a building-management system posts)") { site, temperature, it, facility });
        options.SetAction(command, async (parse, client, json, ct) =>
        {
            var body = new Dictionary<string, object?>();
            Put(body, "outdoorTemperatureC", parse.GetValue(temperature));
            Put(body, "itPowerWatts", parse.GetValue(it) * 1000);
            Put(body, "facilityPowerWatts", parse.GetValue(facility) * 1000);
            var sources = await client.PostAsync($"api/v1/sites/{Uri.EscapeDataString(parse.GetValue(site)!)}/conditions", body, ct);
            if (json)
            {
                ClientOptions.PrintJson(sources);
            }
            else
            {
                Console.Out.WriteLine($"{parse.GetValue(site)}: temperature {ClientOptions.Text(sources, "temperature")}, IT power {ClientOptions.Text(sources, "itPower")}, facility power {ClientOptions.Text(sources, "facilityPower")}");
            }
            return ClientOptions.Ok;
        });
        return command;
    }

    private static Command Curtail(ClientOptions options)
    {
        var site = new Argument<string>("site") { Description = "SITE" };
        var to = new Option<double>("--to") { Description = "Facility power to reach, MW", Required = true };
        var from = new Option<string?>("--from") { Description = "Start, ISO 8601 (default now)" };
        var forDuration = new Option<string>("--for") { Description = "How long: 90m, 4h", Required = true };
        var dryRun = new Option<bool>("--dry-run") { Description = "Show the plan (MW reached, jobs affected, GPU-hours lost) and change nothing" };
        var reason = new Option<string?>("--reason", "-r") { Description = "Why (required unless --dry-run)" };
        var by = By();
        var command = options.Add(new Command("curtail", "Grid demand response: bring a site to a facility power for a time (suspend idle nodes, throttle, move, then preempt)")
        {
            site, to, from, forDuration, dryRun, reason, by,
        });
        options.SetAction(command, async (parse, client, json, ct) =>
        {
            if (Seconds(parse.GetValue(forDuration)!) is not { } seconds)
            {
                Console.Error.WriteLine($"error: --for '{parse.GetValue(forDuration)}' is not a duration; give a number and s, m, h or d (90m, 4h)");
                return ClientOptions.UsageError;
            }
            var body = new Dictionary<string, object?> { ["toWatts"] = parse.GetValue(to) * 1e6, ["forSeconds"] = seconds, ["dryRun"] = parse.GetValue(dryRun) };
            if (parse.GetValue(from) is { } f)
            {
                if (!DateTimeOffset.TryParse(f, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at))
                {
                    Console.Error.WriteLine($"error: --from '{f}' is not a time; give ISO 8601 such as 2026-07-01T18:00Z");
                    return ClientOptions.UsageError;
                }
                body["fromUnix"] = at.ToUnixTimeSeconds();
            }
            if (parse.GetValue(reason) is { } r)
            {
                body["reason"] = r;
                body["by"] = parse.GetValue(by) ?? Environment.UserName;
            }
            var name = Uri.EscapeDataString(parse.GetValue(site)!);
            var answer = await client.PostAsync($"api/v1/sites/{name}/curtail", body, ct);
            if (json)
            {
                ClientOptions.PrintJson(answer);
                return ClientOptions.Ok;
            }
            PrintPlan(answer.GetProperty("plan"));
            if (answer.TryGetProperty("action", out var action) && action.ValueKind == JsonValueKind.Object)
            {
                Console.Out.WriteLine(ClientOptions.Text(action, "text"));
                await Task.Delay(TimeSpan.FromSeconds(3), ct); // a cycle or two: the envelope controller and the idle-node saver act
                Console.Out.WriteLine(ClientOptions.Text(await client.GetAsync($"api/v1/sites/{name}/curtailment", ct), "text"));
            }
            return ClientOptions.Ok;
        });
        return command;
    }

    private static Command Curtailment(ClientOptions options)
    {
        var site = new Argument<string>("site") { Description = "SITE" };
        var command = options.Add(new Command("curtailment", "The last curtailment of a site: the facility power reached against its target") { site });
        options.SetAction(command, async (parse, client, json, ct) =>
        {
            var report = await client.GetAsync($"api/v1/sites/{Uri.EscapeDataString(parse.GetValue(site)!)}/curtailment", ct);
            if (json)
            {
                ClientOptions.PrintJson(report);
            }
            else
            {
                Console.Out.WriteLine(ClientOptions.Text(report, "text"));
            }
            return ClientOptions.Ok;
        });
        return command;
    }

    private static Command Curtailments(ClientOptions options)
    {
        var limit = new Option<int>("--limit", "-n") { Description = "At most this many (1..1000), newest first", DefaultValueFactory = _ => 20 };
        var command = options.Add(new Command("curtailments", "Curtailments carried out (kept across restarts): when, which site, target, planned MW, who and why") { limit });
        options.SetAction(command, async (parse, client, json, ct) =>
        {
            var list = await client.GetAsync($"api/v1/curtailments?limit={parse.GetValue(limit)}", ct);
            if (json)
            {
                ClientOptions.PrintJson(list);
                return ClientOptions.Ok;
            }
            var table = new Table().AddColumns("AT", "SITE", "TARGET MW", "PLANNED MW", "ACTION");
            foreach (var c in list.EnumerateArray())
            {
                var plan = c.GetProperty("plan");
                table.AddRow(ClientOptions.Time(c.GetProperty("action"), "atUnix"), ClientOptions.Escape(ClientOptions.Text(plan, "site")),
                    ClientCommands.Number(ClientCommands.Double(plan, "targetFacilityWatts") / 1e6, "0.###"),
                    ClientCommands.Number(ClientCommands.Double(plan, "facilityWattsReached") / 1e6, "0.###"),
                    ClientOptions.Escape(ClientOptions.Text(c.GetProperty("action"), "text")));
            }
            ClientOptions.Write(table);
            return ClientOptions.Ok;
        });
        return command;
    }

    private static void PrintPlan(JsonElement plan)
    {
        var table = new Table().AddColumns("STEP", "WHAT", "IT kW SAVED", "POWER", "GPU-h LOST");
        foreach (var step in plan.GetProperty("steps").EnumerateArray())
        {
            table.AddRow(ClientOptions.Escape(ClientOptions.Text(step, "kind")), ClientOptions.Escape(ClientOptions.Text(step, "what")),
                ClientCommands.Number(ClientCommands.Double(step, "savedItWatts") / 1000, "F1"),
                ClientOptions.Text(step, "powerFraction") is { Length: > 0 } pf ? ClientCommands.Number(double.Parse(pf, CultureInfo.InvariantCulture), "P0") : "",
                ClientCommands.Number(ClientCommands.Double(step, "gpuHoursLost"), "F1"));
        }
        ClientOptions.Write(table);
        Console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{ClientOptions.Text(plan, "site")}: {ClientCommands.Double(plan, "facilityWattsBefore") / 1e6:0.###} MW now, {ClientCommands.Double(plan, "facilityWattsReached") / 1e6:0.###} MW planned against a target of {ClientCommands.Double(plan, "targetFacilityWatts") / 1e6:0.###} MW ({(ClientOptions.Text(plan, "reached") == "true" ? "reached" : "NOT reached")}); ")
            + $"{ClientOptions.Text(plan, "nodesSuspended")} nodes suspended, {ClientOptions.Text(plan, "jobsThrottled")} jobs throttled, {ClientOptions.Text(plan, "jobsMoved")} moved, "
            + $"{ClientOptions.Text(plan, "jobsPreempted")} preempted, {ClientCommands.Number(ClientCommands.Double(plan, "gpuHoursLost"), "F1")} GPU-hours lost");
    }

    private static Command Operations(ClientOptions options)
    {
        var limit = new Option<int>("--limit", "-n") { Description = "At most this many past actions (1..1000)", DefaultValueFactory = _ => 20 };
        var command = options.Add(new Command("operations", "Operator settings in force (overrides, drains, sites down, vendors cut) and the latest actions: who, what, why") { limit });
        options.SetAction(command, async (parse, client, json, ct) =>
        {
            var view = await client.GetAsync($"api/v1/operations?limit={parse.GetValue(limit)}", ct);
            if (json)
            {
                ClientOptions.PrintJson(view);
                return ClientOptions.Ok;
            }
            var inForce = view.GetProperty("inForce");
            var table = new Table().AddColumns("IN FORCE", "WHAT");
            foreach (var o in inForce.GetProperty("overrides").EnumerateArray())
            {
                table.AddRow($"override {ClientOptions.Escape(ClientOptions.Text(o, "site"))}", ClientOptions.Escape(
                    $"{ClientOptions.Text(o, "text")}{(ClientOptions.Time(o, "untilUnix") is { Length: > 0 } t ? $" until {t}" : "")}"));
            }
            foreach (var d in inForce.GetProperty("drained").EnumerateArray().Concat(inForce.GetProperty("vendorsCut").EnumerateArray()))
            {
                table.AddRow(ClientOptions.Escape(ClientOptions.Text(d, "target")), $"drained, running jobs {(ClientOptions.Text(d, "mode") == "requeue" ? "requeued" : "finish")}");
            }
            foreach (var s in inForce.GetProperty("sitesDown").EnumerateArray())
            {
                table.AddRow($"site:{ClientOptions.Escape(s.GetString() ?? "")}", "[red]down[/]");
            }
            ClientOptions.Write(table);
            var history = new Table().AddColumns("AT", "ACTION");
            foreach (var a in view.GetProperty("history").EnumerateArray())
            {
                history.AddRow(ClientOptions.Time(a, "atUnix"), ClientOptions.Escape(ClientOptions.Text(a, "text")));
            }
            ClientOptions.Write(history);
            return ClientOptions.Ok;
        });
        return command;
    }

    private static void Print(JsonElement action, bool json)
    {
        if (json)
        {
            ClientOptions.PrintJson(action);
        }
        else
        {
            Console.Out.WriteLine(ClientOptions.Text(action, "text"));
        }
    }

    private static void Put(Dictionary<string, object?> body, string name, double? value)
    {
        if (value is { } v)
        {
            body[name] = v;
        }
    }

    /// <summary>"90m", "4h", "2d", "3600s" or "3600" as seconds; null when it is none of those.</summary>
    internal static long? Seconds(string text)
    {
        var t = text.Trim().ToLowerInvariant();
        var unit = t.Length > 0 && char.IsLetter(t[^1]) ? t[^1] : 's';
        var number = char.IsLetter(t.Length > 0 ? t[^1] : ' ') ? t[..^1] : t;
        var scale = unit switch { 's' => 1L, 'm' => 60L, 'h' => 3600L, 'd' => 86400L, _ => 0L };
        return scale > 0 && long.TryParse(number, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0 ? n * scale : null;
    }
}
