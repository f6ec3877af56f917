using YamlDotNet.RepresentationModel;

namespace Serai.Config.Reading;

/// <summary>Lists of scalars in the config: names (countries, classes) and fixed-length number lists (12 months).</summary>
internal static class ListReaders
{
    /// <summary>Each scalar of the list with its node (for the line of a later error); null when the list is malformed.</summary>
    public static List<(YamlNode Node, string Value, string Field)>? Texts(this MapReader map, string key, string allowedEach)
    {
        var items = map.List(key, required: false, $"a list of {allowedEach}");
        if (items is null)
        {
            return null;
        }
        var result = new List<(YamlNode, string, string)>();
        var ok = true;
        for (var i = 0; i < items.Count; i++)
        {
            var field = $"{map.Field(key)}[{i}]";
            var text = map.Scalar(items[i], field, allowedEach);
            ok &= text is not null;
            if (text is not null)
            {
                result.Add((items[i], text, field));
            }
        }
        return ok ? result : null;
    }

    /// <summary>
    /// Exactly <paramref name="count"/> numbers; when <paramref name="allowScalar"/> a single number stands for all of them.
    /// </summary>
    public static double[]? Numbers(this MapReader map, string key, int count, NumberRule rule, bool allowScalar, double[]? fallback)
    {
        var allowed = allowScalar ? $"one number or a list of {count}, each {rule.Allowed}" : $"a list of {count} numbers, each {rule.Allowed}";
        if (map.Get(key) is not { } node)
        {
            if (fallback is null)
            {
                map.Missing(key, allowed);
            }
            return fallback;
        }
        if (allowScalar && node is YamlScalarNode)
        {
            return map.Number(node, map.Field(key), rule) is { } one ? Enumerable.Repeat(one, count).ToArray() : null;
        }
        if (node is not YamlSequenceNode sequence || sequence.Children.Count != count)
        {
            var shown = node is YamlSequenceNode s ? $"{s.Children.Count} values" : ErrorSink.Show(node);
            map.Errors.Add(node, map.Field(key), shown, allowed);
            return null;
        }
        var values = new double[count];
        var ok = true;
        for (var i = 0; i < count; i++)
        {
            var value = map.Number(sequence.Children[i], $"{map.Field(key)}[{i}]", rule);
            ok &= value is not null;
            values[i] = value ?? 0;
        }
        return ok ? values : null;
    }
}
