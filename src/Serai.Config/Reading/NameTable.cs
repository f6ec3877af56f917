using YamlDotNet.RepresentationModel;

namespace Serai.Config.Reading;

/// <summary>Names of one kind (sites, tenants, ...) declared in the config: catches duplicates and resolves references.</summary>
internal sealed class NameTable(string kind, ErrorSink errors)
{
    private readonly Dictionary<string, (int Index, int Line)> _names = new(StringComparer.OrdinalIgnoreCase);

    public IEnumerable<string> Names => _names.Keys;

    /// <summary>Set when an item of this kind had no valid name: references that do not resolve are then not reported.</summary>
    public bool Incomplete { get; set; }

    /// <summary>Reads and declares the name under <paramref name="key"/> of an item.</summary>
    public string? Read(MapReader map, string key, int index)
    {
        var name = Reading.Names.Name(map, key);
        if (name is null)
        {
            Incomplete = true;
            return null;
        }
        Declare(name, index, map.Get(key)!, map.Field(key));
        return name;
    }

    /// <summary>Declares a name at an index; a duplicate is an error that points at the first one.</summary>
    public void Declare(string name, int index, YamlNode node, string field)
    {
        if (_names.TryGetValue(name, out var first))
        {
            errors.Add(node, field, name, $"a {kind} name not used before (already defined at line {first.Line})");
            return;
        }
        _names[name] = (index, (int)node.Start.Line);
    }

    public bool Contains(string name) => _names.ContainsKey(name);

    /// <summary>The index of a declared name, or null with an error listing the names that exist.</summary>
    public int? Resolve(string name, YamlNode node, string field)
    {
        if (_names.TryGetValue(name, out var found))
        {
            return found.Index;
        }
        if (!Incomplete)
        {
            errors.Add(node, field, name, Known);
        }
        return null;
    }

    public string Known => _names.Count == 0 ? $"a {kind} defined in the file (none is)" : $"one of the {kind}s {string.Join(", ", _names.Keys)}";
}
