using System.Globalization;
using System.Text.Json;
using Serai.Contracts;
using Serai.Core.Model;
using Serai.Server.Apis;
using Serai.Server.Auth;
using Serai.Server.Notifications;

namespace Serai.Server.Jobs;

/// <summary>Validates a submission body field by field against the hub; every error names the field, value and what is allowed.</summary>
public static class SubmitJobParser
{
    private static readonly string[] Known =
    [
        "command", "gpus", "tenant", "name", "gpusPerNode", "time", "timeLimitSeconds", "priority", "datasets", "aiSystem",
        "stacks", "accelerator", "minGpuMemoryGb", "deadlineUnix", "deadline", "deferrable", "checkpointable", "powerFraction",
        "workingDirectory", "submitDirectory", "environment", "hold", "array", "dependency", "notify", "output", "error",
    ];

    public const int MaxEnvironmentVariables = 4096;

    public static JobRequest? Parse(JsonElement body, Caller caller, HubModel hub, AiSystemRegistry aiSystems, long nowUnix, FieldErrors errors,
        NotifyPolicy? notifyPolicy = null)
    {
        if (body.ValueKind != JsonValueKind.Object)
        {
            errors.Add("body", $"expected a JSON object, got {body.ValueKind}");
            return null;
        }
        var f = new JsonFields(body, errors);
        f.RejectUnknown(Known);
        var largestPool = hub.Pools.Length == 0 ? 0 : hub.Pools.Max(p => p.Gpus);
        var largestNode = hub.Pools.Length == 0 ? 0 : hub.Pools.Max(p => p.GpusPerNode);
        var command = f.TextArray("command", 1024, 65536, required: true);
        var gpus = f.Integer("gpus", 1, Math.Max(1, largestPool), required: true);
        var perNode = f.Integer("gpusPerNode", 0, Math.Max(1, largestNode));
        if (gpus is { } g && perNode is { } n and > 0 && g % n != 0)
        {
            errors.Add("gpusPerNode", $"{n} does not divide gpus={g}; give a divisor of the GPU count");
        }
        var tenant = Tenant(f, caller, hub, errors);
        var name = f.Text("name", 128);
        var time = TimeField(f, body, errors);
        var priority = Priority(f, tenant, hub, errors);
        var datasets = Datasets(f, hub, tenant);
        var aiSystem = f.Text("aiSystem", 128);
        // a system of another tenant reads as unknown: its name is not the caller's to learn or use
        if (aiSystem is not null && (aiSystems.IndexOf(aiSystem) is not { } system
            || tenant is null || !string.Equals(hub.Tenants[aiSystems[system].OwnerTenant].Name, tenant, StringComparison.OrdinalIgnoreCase)))
        {
            errors.Add("aiSystem", $"'{aiSystem}' is not registered; register it with POST /api/v1/ai-systems");
        }
        else if (aiSystem is null && hub.RequireAiSystemForPersonalData
            && datasets?.FirstOrDefault(d => hub.DatasetIndex(d) is { } i && hub.Datasets[i].PersonalData) is { } personal)
        {
            errors.Add("aiSystem", $"required: dataset {personal} holds personal data, and this hub runs a job that reads personal data only for a registered AI system; name yours with aiSystem");
        }
        var stacks = References(f, "stacks", s => hub.StackBit(s) >= 0, hub.Stacks);
        var accelerator = f.Text("accelerator", 128);
        if (accelerator is not null)
        {
            // any spelling the catalogue or the vendor uses ("Ascend 910B", "ascend910b"); stored as the hub names it
            if (hub.AcceleratorIndex(accelerator) is { } a)
            {
                accelerator = hub.Accelerators[a].Model;
            }
            else
            {
                errors.Add("accelerator", $"'{accelerator}' is not in this hub; allowed: {string.Join(", ", hub.Accelerators.Select(x => x.Model))} (case, spaces and hyphens do not matter)");
            }
        }
        var memory = f.Number("minGpuMemoryGb", 0, 10_000);
        var deadline = Deadline(f, body, nowUnix, errors);
        var deferrable = f.Boolean("deferrable") ?? false;
        var checkpointable = f.Boolean("checkpointable") ?? false;
        var power = f.Number("powerFraction", 0, 1, minExclusive: true);
        var workingDirectory = Directory(f, "workingDirectory");
        _ = Directory(f, "submitDirectory"); // checked here, used by the API (only when the server can see it)
        var environment = Environment(body, errors);
        var hold = f.Boolean("hold") ?? false;
        var arrayText = f.Text("array", 1024);
        JobArray? array = null;
        if (arrayText is not null)
        {
            (array, var error) = JobArray.Parse(arrayText);
            if (error is not null)
            {
                errors.Add("array", error);
            }
        }
        var dependencyText = f.Text("dependency", 16384);
        JobDependency? dependency = null;
        if (dependencyText is not null)
        {
            (dependency, var error) = JobDependency.Parse(dependencyText);
            if (error is not null)
            {
                errors.Add("dependency", error);
            }
            else if (dependency!.Kind == DependencyKind.Singleton && name is null)
            {
                errors.Add("dependency", "singleton runs one job of a name at a time; give the job a name");
            }
        }
        var notify = f.Text("notify", NotifyPolicy.MaxLength);
        if (notify is not null && (notifyPolicy ?? new NotifyPolicy(null)).Refuse(notify) is { } refused)
        {
            errors.Add("notify", refused);
        }
        var outputPattern = JobOutputFiles.Pattern(body, "output", array is not null, name ?? JobOutputFiles.CommandName(command), tenant, errors);
        var errorPattern = JobOutputFiles.Pattern(body, "error", array is not null, name ?? JobOutputFiles.CommandName(command), tenant, errors);
        if (errors.Any || command is null || gpus is null || tenant is null)
        {
            return null;
        }
        return new JobRequest(tenant, name, (int)gpus, (int)(perNode ?? 0), time, priority ?? PriorityClass.Normal.Name(), datasets ?? [], aiSystem,
            stacks ?? [], accelerator, memory ?? 0, deadline, deferrable, checkpointable, power ?? 0.8, command,
            WorkingDirectory: workingDirectory, Environment: environment, Hold: hold,
            Dependency: dependency is null ? null : dependencyText!.Trim().ToLowerInvariant(), DependencyIds: dependency?.JobIds.ToArray(),
            Array: array is null ? null : arrayText!.Trim(), ArrayLimit: array?.Limit, Notify: notify, Output: outputPattern, Error: errorPattern);
    }

    private static string? Directory(JsonFields f, string field)
    {
        var path = f.Text(field, 4096);
        if (path is not null && (!path.StartsWith('/') || path.Contains('\0', StringComparison.Ordinal)))
        {
            f.AddError(field, $"'{ApiIds.Trim(path)}' is not an absolute path; give a directory starting with /");
            return null;
        }
        return path;
    }

    private static Dictionary<string, string>? Environment(JsonElement body, FieldErrors errors)
    {
        if (!body.TryGetProperty("environment", out var v) || v.ValueKind == JsonValueKind.Null)
        {
            return null;
        }
        if (v.ValueKind != JsonValueKind.Object)
        {
            errors.Add("environment", $"expected an object of NAME: \"value\" pairs, got {v.ValueKind}");
            return null;
        }
        var variables = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var p in v.EnumerateObject())
        {
            if (!EnvironmentNames.ValidName(p.Name))
            {
                errors.Add($"environment.{ApiIds.Trim(p.Name)}", "is not a variable name; allowed: letters, digits and _, not starting with a digit");
            }
            else if (p.Name.StartsWith(EnvironmentNames.SeraiPrefix, StringComparison.Ordinal))
            {
                errors.Add($"environment.{p.Name}", "SERAI_ variables are set by Serai for each job; choose another name");
            }
            else if (p.Value.ValueKind != JsonValueKind.String)
            {
                errors.Add($"environment.{p.Name}", $"expected a string, got {p.Value.ValueKind}");
            }
            else
            {
                variables[p.Name] = p.Value.GetString()!;
            }
            if (variables.Count > MaxEnvironmentVariables)
            {
                errors.Add("environment", $"more than {MaxEnvironmentVariables} variables");
                return null;
            }
        }
        return variables;
    }

    /// <summary>The tenant an admin's submission goes to when it names none.</summary>
    public const string DefaultTenant = "default";

    private static string? Tenant(JsonFields f, Caller caller, HubModel hub, FieldErrors errors)
    {
        var given = f.Text("tenant", 128);
        if (!caller.IsAdmin)
        {
            if (given is not null && !string.Equals(given, caller.Tenant, StringComparison.OrdinalIgnoreCase))
            {
                errors.Add("tenant", $"'{given}' is not your tenant; your token submits as '{caller.Tenant}' (leave tenant out)");
                return null;
            }
            return caller.Tenant;
        }
        if (given is null)
        {
            // the hub's only tenant, or its tenant named "default" (as the sample hubs and a first start have)
            var fallback = hub.Tenants.Length == 1 ? hub.Tenants[0].Name : hub.TenantIndex(DefaultTenant) is { } d ? hub.Tenants[d].Name : null;
            if (!errors.Any && fallback is null)
            {
                errors.Add("tenant", $"is required with the admin token (this hub has no tenant named '{DefaultTenant}'); allowed: {string.Join(", ", hub.Tenants.Select(t => t.Name))}");
            }
            return fallback;
        }
        if (hub.TenantIndex(given) is not { } index)
        {
            errors.Add("tenant", $"'{given}' is not a tenant of this hub; allowed: {string.Join(", ", hub.Tenants.Select(t => t.Name))}");
            return null;
        }
        return hub.Tenants[index].Name;
    }

    private static long? TimeField(JsonFields f, JsonElement body, FieldErrors errors)
    {
        if (f.Has("time") && f.Has("timeLimitSeconds"))
        {
            errors.Add("time", "give either time or timeLimitSeconds, not both");
            return null;
        }
        if (f.Has("timeLimitSeconds"))
        {
            return f.Integer("timeLimitSeconds", 1, TimeLimit.MaxSeconds);
        }
        if (!body.TryGetProperty("time", out var v) || v.ValueKind == JsonValueKind.Null)
        {
            return null;
        }
        var text = v.ValueKind == JsonValueKind.String ? v.GetString() : null;
        var seconds = TimeLimit.Parse(text);
        if (seconds is null)
        {
            errors.Add("time", $"{JsonFields.Show(v)} is not a time limit; allowed formats: {TimeLimit.Formats}, up to 365 days");
        }
        return seconds;
    }

    private static string? Priority(JsonFields f, string? tenant, HubModel hub, FieldErrors errors)
    {
        var text = f.Text("priority", 32);
        if (text is null)
        {
            return null;
        }
        if (!PriorityClasses.TryParse(text, out var priority))
        {
            errors.Add("priority", $"'{text}' is not a priority class; allowed: {PriorityClasses.Allowed}");
            return null;
        }
        if (tenant is not null && hub.TenantIndex(tenant) is { } t && !hub.Tenants[t].MayUse(priority))
        {
            var allowed = PriorityClasses.All.Where(hub.Tenants[t].MayUse).Select(p => p.Name());
            errors.Add("priority", $"tenant '{tenant}' may not use class '{priority.Name()}'; allowed for it: {string.Join(", ", allowed)}");
            return null;
        }
        return priority.Name();
    }

    /// <summary>
    /// The datasets a job names: each must be one its tenant owns or was granted. An unknown name and one the tenant may
    /// not use get the same answer, which lists only the datasets the tenant may use: no caller learns another
    /// tenant's dataset names.
    /// </summary>
    private static string[]? Datasets(JsonFields f, HubModel hub, string? tenant)
    {
        var items = f.TextArray("datasets", 64, 128);
        if (items is null || tenant is null || hub.TenantIndex(tenant) is not { } t)
        {
            return items;
        }
        var refused = items.FirstOrDefault(n => hub.DatasetIndex(n) is not { } d || !hub.Datasets[d].MayUse(t));
        if (refused is not null)
        {
            var usable = hub.Datasets.Where(d => d.MayUse(t)).Select(d => d.Name).ToList();
            f.AddError("datasets", $"'{ApiIds.Trim(refused)}' is not a dataset tenant {hub.Tenants[t].Name} owns or was granted; "
                + $"it may use: {(usable.Count == 0 ? "(none)" : string.Join(", ", usable))}");
            return null;
        }
        return items;
    }

    private static string[]? References(JsonFields f, string field, Func<string, bool> exists, IEnumerable<string> allowed)
    {
        var items = f.TextArray(field, 64, 128);
        var unknown = items?.FirstOrDefault(i => !exists(i));
        if (unknown is not null)
        {
            var names = allowed.ToList();
            f.AddError(field, $"'{unknown}' is not in this hub; allowed: {(names.Count == 0 ? "(none)" : string.Join(", ", names))}");
            return null;
        }
        return items;
    }

    private static long? Deadline(JsonFields f, JsonElement body, long nowUnix, FieldErrors errors)
    {
        if (f.Has("deadline") && f.Has("deadlineUnix"))
        {
            errors.Add("deadline", "give either deadline or deadlineUnix, not both");
            return null;
        }
        long? deadline = f.Has("deadlineUnix") ? f.Integer("deadlineUnix", 0, 253402300799) : null;
        if (body.TryGetProperty("deadline", out var v) && v.ValueKind != JsonValueKind.Null)
        {
            if (v.ValueKind == JsonValueKind.String && DateTimeOffset.TryParse(v.GetString(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at))
            {
                deadline = at.ToUnixTimeSeconds();
            }
            else
            {
                errors.Add("deadline", $"{JsonFields.Show(v)} is not a date and time; give ISO 8601, e.g. 2026-12-01T18:00:00Z");
                return null;
            }
        }
        if (deadline is { } d && d <= nowUnix)
        {
            errors.Add(f.Has("deadline") ? "deadline" : "deadlineUnix", $"{d} is not in the future (now is {nowUnix})");
            return null;
        }
        return deadline;
    }
}
