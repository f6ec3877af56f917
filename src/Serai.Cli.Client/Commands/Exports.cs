using Serai.Contracts;

namespace Serai.Cli.Commands;

/// <summary>
/// `--export` as sbatch reads it: ALL (the caller's environment, the default), NONE, or NAME[=VALUE],... where a bare
/// NAME takes the caller's value; ALL,NAME=VALUE adds to the caller's. Serai's own variables (the token among them)
/// never travel.
/// </summary>
public static class Exports
{
    public static (Dictionary<string, string>? Variables, string? Error) Resolve(string? text, IDictionary<string, string>? caller = null)
    {
        caller ??= Environment.GetEnvironmentVariables().Cast<System.Collections.DictionaryEntry>()
            .ToDictionary(e => (string)e.Key, e => (string?)e.Value ?? "", StringComparer.Ordinal);
        var spec = (text ?? "ALL").Trim();
        if (spec.Equals("NONE", StringComparison.OrdinalIgnoreCase))
        {
            return (null, null);
        }
        var variables = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var item in spec.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (item.Equals("ALL", StringComparison.OrdinalIgnoreCase))
            {
                foreach (var (name, value) in caller)
                {
                    if (Travels(name))
                    {
                        variables[name] = value;
                    }
                }
                continue;
            }
            var equals = item.IndexOf('=', StringComparison.Ordinal);
            var variable = equals < 0 ? item : item[..equals];
            if (!EnvironmentNames.ValidName(variable))
            {
                return (null, $"'{variable}' is not a variable name; allowed: ALL, NONE or NAME[=VALUE],... (letters, digits and _)");
            }
            if (variable.StartsWith(EnvironmentNames.SeraiPrefix, StringComparison.Ordinal))
            {
                return (null, $"'{variable}': SERAI_ variables are set by Serai for each job");
            }
            if (equals >= 0)
            {
                variables[variable] = item[(equals + 1)..];
            }
            else if (caller.TryGetValue(variable, out var value))
            {
                variables[variable] = value;
            }
        }
        return (variables, null);
    }

    /// <summary>Variables that ALL sends: valid names, not Serai's own (SERAI_TOKEN must never reach a job).</summary>
    private static bool Travels(string name) => EnvironmentNames.ValidName(name) && !name.StartsWith(EnvironmentNames.SeraiPrefix, StringComparison.Ordinal);
}
