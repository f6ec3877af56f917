using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Serai.Config.Reading;

/// <summary>Collects errors for one file so that a whole config is checked in one pass.</summary>
internal sealed class ErrorSink(string file)
{
    public string File { get; } = file;

    public List<ConfigError> Errors { get; } = [];

    public int Count => Errors.Count;

    public void Add(YamlNode node, string field, string value, string allowed) => Add(node.Start, field, value, allowed);

    public void Add(Mark mark, string field, string value, string allowed) =>
        Errors.Add(new ConfigError(File, (int)mark.Line, (int)mark.Column, field, value, allowed));

    public void AddAt(string file, int line, int column, string field, string value, string allowed) =>
        Errors.Add(new ConfigError(file, line, column, field, value, allowed));

    /// <summary>How a node reads in a message: its text for a scalar, a description otherwise.</summary>
    public static string Show(YamlNode? node) => node switch
    {
        null => "(missing)",
        YamlScalarNode { Value: null or "" } => "(empty)",
        YamlScalarNode s => s.Value!,
        YamlSequenceNode => "(a list)",
        YamlMappingNode => "(a mapping)",
        _ => "(an alias)",
    };
}
