using System.CommandLine;
using Serai.Cli.Client;
using Spectre.Console;

namespace Serai.Cli.Commands;

/// <summary>`serai sites` (each site now, with where its figures come from) and `serai usage` (tenants against quota and fair share, and accounting).</summary>
public static class ClusterCommands
{
    public static Command Sites(ClientOptions options)
    {
        var command = options.Add(new Command("sites", "Each site now: GPUs free and used by model, IT power against its limit, temperature, PUE, carbon"));
        options.SetAction(command, async (parse, client, json, ct) =>
        {
            var sites = await client.GetAsync("api/v1/sites", ct);
            if (json)
            {
                ClientOptions.PrintJson(sites);
                return ClientOptions.Ok;
            }
            var table = new Table().AddColumns("SITE", "COUNTRY", "GPUS (used/total)", "IT kW / limit", "OUTDOOR °C", "PUE", "gCO2/kWh", "$/kWh", "FIGURES (°C / IT / facility)");
            foreach (var site in sites.EnumerateArray())
            {
                var gpus = string.Join("\n", site.GetProperty("gpus").EnumerateArray().Select(g =>
                    $"{ClientOptions.Text(g, "model")}: {ClientOptions.Text(g, "used")}/{ClientOptions.Text(g, "total")}"));
                table.AddRow(
                    ClientOptions.Escape(ClientOptions.Text(site, "name")) + (site.GetProperty("down").GetBoolean() ? " [red](down)[/]" : ""),
                    ClientOptions.Text(site, "country"),
                    ClientOptions.Escape(gpus),
                    $"{ClientCommands.Number(ClientCommands.Double(site, "itWatts") / 1000, "F1")} / {ClientCommands.Number(ClientCommands.Double(site, "itLimitWatts") / 1000, "F1")}",
                    ClientCommands.Number(ClientCommands.Double(site, "outdoorTemperatureC"), "F1"),
                    ClientCommands.Number(ClientCommands.Double(site, "pue"), "F2"),
                    ClientCommands.Number(ClientCommands.Double(site, "carbonGPerKwh"), "F0"),
                    ClientCommands.Number(ClientCommands.Double(site, "priceUsdPerKwh"), "F3"),
                    Sources(site));
            }
            ClientOptions.Write(table);
            return ClientOptions.Ok;
        });
        return command;
    }

    /// <summary>Where the temperature, IT power and facility power come from: measured, modelled, stale (model + margin) or override.</summary>
    private static string Sources(System.Text.Json.JsonElement site) =>
        site.TryGetProperty("sources", out var s) && s.ValueKind == System.Text.Json.JsonValueKind.Object
            ? $"{Source(s, "temperature")} / {Source(s, "itPower")} / {Source(s, "facilityPower")}"
            : "modelled";

    private static string Source(System.Text.Json.JsonElement sources, string name) => ClientOptions.Text(sources, name) switch
    {
        "stale" => "[yellow]stale[/]",
        "measured" => "[green]measured[/]",
        var other => ClientOptions.Escape(other),
    };

    public static Command Usage(ClientOptions options)
    {
        var period = new Option<string?>("--period") { Description = "Accounting month, YYYY-MM (default: this month)" };
        var command = options.Add(new Command("usage", "Tenants' GPUs against guarantees and fair share, and this period's GPU-hours, kWh, t CO2 and cost") { period });
        options.SetAction(command, async (parse, client, json, ct) =>
        {
            var tenants = await client.GetAsync("api/v1/tenants", ct);
            var accounting = await client.GetAsync("api/v1/accounting" + (parse.GetValue(period) is { } p ? $"?period={Uri.EscapeDataString(p)}" : ""), ct);
            if (json)
            {
                ClientOptions.PrintJson(new Dictionary<string, object?> { ["tenants"] = tenants, ["accounting"] = accounting });
                return ClientOptions.Ok;
            }
            var now = new Table().AddColumns("TENANT", "GPUS NOW", "GUARANTEED", "BORROWED / LIMIT", "FAIR SHARE", "PENDING", "RUNNING");
            foreach (var t in tenants.EnumerateArray())
            {
                now.AddRow(ClientOptions.Escape(ClientOptions.Text(t, "name")), ClientOptions.Text(t, "allocatedGpus"), ClientOptions.Text(t, "guaranteedGpus"),
                    $"{ClientOptions.Text(t, "borrowedGpus")} / {ClientOptions.Text(t, "borrowLimitGpus")}",
                    ClientCommands.Number(ClientCommands.Double(t, "fairShare"), "F2"), ClientOptions.Text(t, "pendingJobs"), ClientOptions.Text(t, "runningJobs"));
            }
            ClientOptions.Write(now);
            var from = ClientOptions.Time(accounting, "fromUnix");
            var to = ClientOptions.Time(accounting, "toUnix");
            var table = new Table().Title($"accounting {from} .. {to}").AddColumns("TENANT", "JOBS", "GPU-HOURS", "kWh", "t CO2", "COST $");
            foreach (var a in accounting.GetProperty("tenants").EnumerateArray())
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
}
