using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Serai.Cli.Client;
using Spectre.Console;

namespace Serai.Cli.Commands;

/// <summary>
/// Start forecasts and what-ifs on the live hub: `serai submit --test-only`, `serai job ID --forecast` (both print
/// <see cref="PrintForecast"/>), and `serai whatif` (a heat wave, a lowered cap, a site down or a vendor cut-off over the
/// next hours: which jobs would be throttled, preempted, moved or delayed; nothing changes).
/// </summary>
public static class ForecastCommands
{
    /// <summary>Prints a forecast: its sentence, or the JSON.</summary>
    public static void PrintForecast(JsonElement forecast, bool json)
    {
        if (json)
        {
            ClientOptions.PrintJson(forecast);
            return;
        }
        if (forecast.TryGetProperty("notes", out var notes) && notes.ValueKind == JsonValueKind.Array)
        {
            foreach (var note in notes.EnumerateArray())
            {
                Console.Error.WriteLine($"note: {note.GetString()}");
            }
        }
        Console.Out.WriteLine(ClientOptions.Text(forecast, "text"));
        if (ClientOptions.Text(forecast, "waitReason") is { Length: > 0 } reason)
        {
            Console.Out.WriteLine($"now: {reason}");
        }
    }

    public static Command WhatIf(ClientOptions options)
    {
        var site = new Option<string?>("--site") { Description = "The site the scenario is about (with --temperature, --temperature-offset, --it-cap, --grid or --down)" };
        var temperature = new Option<double?>("--temperature") { Description = "Heat wave: outdoor temperature at the site, °C" };
        var offset = new Option<double?>("--temperature-offset") { Description = "Heat wave: degrees added to the site's modelled temperature" };
        var cap = new Option<double?>("--it-cap") { Description = "Lowered IT power cap at the site, MW" };
        var grid = new Option<double?>("--grid") { Description = "Lowered grid connection at the site (facility power), MW" };
        var down = new Option<bool>("--down") { Description = "The site is down" };
        var vendor = new Option<string?>("--vendor-cut") { Description = "A vendor cut off (its pools take no new work)" };
        var mode = new Option<string>("--mode") { Description = "With --vendor-cut: finish (running jobs run on) or requeue", DefaultValueFactory = _ => "finish" };
        var from = new Option<string?>("--from") { Description = "When the scenario begins, ISO 8601 (default now)" };
        var forDuration = new Option<string?>("--for") { Description = "How long it lasts: 90m, 6h, 2d (default: to the horizon)" };
        var horizon = new Option<string>("--horizon") { Description = "How far ahead to look: 6h, 1d, up to 30d", DefaultValueFactory = _ => "24h" };
        var command = options.Add(new Command("whatif", "What a heat wave, a lowered cap, a site down or a vendor cut-off would do to the jobs over the next hours; changes nothing")
        {
            site, temperature, offset, cap, grid, down, vendor, mode, from, forDuration, horizon,
        });
        options.SetAction(command, async (parse, client, json, ct) =>
        {
            if (OperationsCommands.Seconds(parse.GetValue(horizon)!) is not { } horizonSeconds)
            {
                Console.Error.WriteLine($"error: --horizon '{parse.GetValue(horizon)}' is not a duration; give a number and s, m, h or d (6h, 2d)");
                return ClientOptions.UsageError;
            }
            var window = new Dictionary<string, object?>();
            if (parse.GetValue(forDuration) is { } d)
            {
                if (OperationsCommands.Seconds(d) is not { } seconds)
                {
                    Console.Error.WriteLine($"error: --for '{d}' is not a duration; give a number and s, m, h or d (90m, 6h)");
                    return ClientOptions.UsageError;
                }
                window["forSeconds"] = seconds;
            }
            if (parse.GetValue(from) is { } f)
            {
                if (!DateTimeOffset.TryParse(f, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at))
                {
                    Console.Error.WriteLine($"error: --from '{f}' is not a time; give ISO 8601 such as 2026-07-01T18:00Z");
                    return ClientOptions.UsageError;
                }
                window["fromUnix"] = at.ToUnixTimeSeconds();
            }
            var changes = new List<Dictionary<string, object?>>();
            var name = parse.GetValue(site);
            Dictionary<string, object?> Change(string kind, Dictionary<string, object?> values) =>
                new[] { new KeyValuePair<string, object?>("kind", kind) }.Concat(values).Concat(window).ToDictionary();
            if (parse.GetValue(temperature) is not null || parse.GetValue(offset) is not null)
            {
                changes.Add(Change("heat-wave", new() { ["site"] = name, ["temperatureC"] = parse.GetValue(temperature), ["temperatureOffsetC"] = parse.GetValue(offset) }));
            }
            if (parse.GetValue(cap) is not null || parse.GetValue(grid) is not null)
            {
                changes.Add(Change("cap", new() { ["site"] = name, ["itCapWatts"] = parse.GetValue(cap) * 1e6, ["gridWatts"] = parse.GetValue(grid) * 1e6 }));
            }
            if (parse.GetValue(down))
            {
                changes.Add(Change("site-down", new() { ["site"] = name }));
            }
            if (parse.GetValue(vendor) is { } v)
            {
                changes.Add(Change("vendor-cut", new() { ["vendor"] = v, ["mode"] = parse.GetValue(mode) }));
            }
            if (changes.Count == 0)
            {
                Console.Error.WriteLine("error: give a scenario: --site SITE with --temperature C, --temperature-offset C, --it-cap MW, --grid MW or --down; or --vendor-cut VENDOR");
                return ClientOptions.UsageError;
            }
            var body = new Dictionary<string, object?>
            {
                ["horizonSeconds"] = horizonSeconds,
                ["changes"] = changes.Select(c => c.Where(p => p.Value is not null).ToDictionary()).ToList(),
            };
            var answer = await client.PostAsync("api/v1/whatif", body, ct);
            if (json)
            {
                ClientOptions.PrintJson(answer);
                return ClientOptions.Ok;
            }
            foreach (var s in answer.GetProperty("scenario").EnumerateArray())
            {
                Console.Out.WriteLine($"scenario: {s.GetString()}");
            }
            var table = new Table().AddColumns("JOB", "TENANT", "EFFECT", "WHAT");
            foreach (var job in answer.GetProperty("jobs").EnumerateArray())
            {
                table.AddRow(ClientOptions.Text(job, "job"), ClientOptions.Escape(ClientOptions.Text(job, "tenant")), ClientOptions.Escape(ClientOptions.Text(job, "effect")),
                    ClientOptions.Escape(ClientOptions.Text(job, "text")));
            }
            ClientOptions.Write(table);
            Console.Out.WriteLine(ClientOptions.Text(answer, "text"));
            return ClientOptions.Ok;
        });
        return command;
    }
}
