using System.Globalization;
using YamlDotNet.RepresentationModel;

namespace Serai.Config.Reading;

/// <summary>
/// Reads one YAML mapping of the config: rejects keys it does not know, and returns typed values or null after
/// recording an error that names the field path (e.g. <c>sites[2].pools[0].gpusPerNode</c>), the value and what is allowed.
/// </summary>
internal sealed class MapReader
{
    private readonly Dictionary<string, (YamlScalarNode Key, YamlNode Value)> _entries = new(StringComparer.Ordinal);

    private MapReader(YamlMappingNode node, string path, ErrorSink errors, string[] keys)
    {
        Node = node;
        Path = path;
        Errors = errors;
        foreach (var (key, value) in node.Children)
        {
            var name = (key as YamlScalarNode)?.Value ?? "";
            if (!keys.Contains(name, StringComparer.Ordinal))
            {
                var shown = name.Length == 0 ? "(empty or complex key)" : name;
                errors.Add(key, Field(shown), $"unknown key '{shown}'", $"one of the keys {string.Join(", ", keys)}");
                continue;
            }
            _entries[name] = ((YamlScalarNode)key, value);
        }
    }

    public YamlMappingNode Node { get; }
    public string Path { get; }
    public ErrorSink Errors { get; }

    /// <summary>A reader over <paramref name="node"/>, or null (with an error) when it is not a mapping.</summary>
    public static MapReader? Open(YamlNode node, string path, ErrorSink errors, params string[] keys)
    {
        if (node is YamlMappingNode mapping)
        {
            return new MapReader(mapping, path, errors, keys);
        }
        errors.Add(node, path.Length == 0 ? "(top level)" : path, ErrorSink.Show(node), $"a mapping with the keys {string.Join(", ", keys)}");
        return null;
    }

    public string Field(string key) => Path.Length == 0 ? key : $"{Path}.{key}";

    public bool Has(string key) => _entries.ContainsKey(key);

    public YamlNode? Get(string key) => _entries.TryGetValue(key, out var entry) ? entry.Value : null;

    /// <summary>Records that a required key is missing, at the start of this mapping.</summary>
    public void Missing(string key, string allowed) => Errors.Add(Node, Field(key), "(missing)", allowed);

    public string? Text(string key, bool required, string allowed = "text")
    {
        if (Get(key) is not { } node)
        {
            if (required)
            {
                Missing(key, allowed);
            }
            return null;
        }
        return Scalar(node, Field(key), allowed);
    }

    public double? Number(string key, NumberRule rule, double? fallback = null)
    {
        if (Get(key) is not { } node)
        {
            if (fallback is null)
            {
                Missing(key, rule.Allowed);
            }
            return fallback;
        }
        return Number(node, Field(key), rule);
    }

    public int? Integer(string key, int min, int max, int? fallback = null)
    {
        var allowed = max >= int.MaxValue / 2 ? $"an integer ≥ {min}" : $"an integer from {min} to {max}";
        if (Get(key) is not { } node)
        {
            if (fallback is null)
            {
                Missing(key, allowed);
            }
            return fallback;
        }
        return Integer(node, Field(key), min, max, allowed);
    }

    public bool? Bool(string key, bool fallback)
    {
        if (Get(key) is not { } node)
        {
            return fallback;
        }
        var text = Scalar(node, Field(key), "true or false");
        switch (text?.ToLowerInvariant())
        {
            case null:
                return null;
            case "true" or "yes":
                return true;
            case "false" or "no":
                return false;
            default:
                Errors.Add(node, Field(key), text, "true or false");
                return null;
        }
    }

    /// <summary>Items of a list under <paramref name="key"/>; an absent key is an empty list.</summary>
    public IReadOnlyList<YamlNode>? List(string key, bool required, string allowed)
    {
        if (Get(key) is not { } node)
        {
            if (required)
            {
                Missing(key, allowed);
            }
            return required ? null : [];
        }
        if (node is YamlSequenceNode sequence)
        {
            return [.. sequence.Children];
        }
        Errors.Add(node, Field(key), ErrorSink.Show(node), allowed);
        return null;
    }

    public string? Scalar(YamlNode node, string field, string allowed)
    {
        if (node is YamlScalarNode { Value: { Length: > 0 } value })
        {
            return value;
        }
        Errors.Add(node, field, ErrorSink.Show(node), allowed);
        return null;
    }

    public double? Number(YamlNode node, string field, NumberRule rule)
    {
        var text = Scalar(node, field, rule.Allowed);
        if (text is null)
        {
            return null;
        }
        if (NumberRule.TryParse(text, out var value) && rule.Accepts(value))
        {
            return value;
        }
        Errors.Add(node, field, text, rule.Allowed);
        return null;
    }

    public int? Integer(YamlNode node, string field, int min, int max, string allowed)
    {
        var text = Scalar(node, field, allowed);
        if (text is null)
        {
            return null;
        }
        if (int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) && value >= min && value <= max)
        {
            return value;
        }
        Errors.Add(node, field, text, allowed);
        return null;
    }
}
