using System.Text.RegularExpressions;
using Serai.Config.Reading;
using Serai.Config.Sections;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Serai.Config;

/// <summary>
/// Loads a hub config (YAML) into an immutable <see cref="Core.Model.HubModel"/> and its scheduling profiles, or
/// returns every error found in one pass, each with file, line, column, field path, value and what is allowed. Never
/// throws on bad input.
/// </summary>
public static partial class HubConfigLoader
{
    /// <summary>The keys of the top-level mapping, in the order the reference documents them.</summary>
    public static IReadOnlyList<string> TopLevelKeys { get; } = ["hub", "accelerators", "sites", "links", "tenants", "datasets", "aiSystems", "scheduling", "workloadClasses"];

    /// <summary>Loads a file; series files named in it are read relative to its folder.</summary>
    public static HubConfigResult LoadFile(string path)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            return new HubConfigResult(null, [new ConfigError(path, 0, 0, "(file)", path, $"a readable YAML file ({e.Message})")]);
        }
        return Load(text, path, Path.GetDirectoryName(Path.GetFullPath(path)));
    }

    /// <summary>Loads config text; <paramref name="fileName"/> names it in errors, series files resolve against <paramref name="baseDirectory"/>.</summary>
    public static HubConfigResult Load(string text, string fileName, string? baseDirectory = null)
    {
        var errors = new ErrorSink(fileName);
        var stream = new YamlStream();
        var parser = new TrackingParser(new StringReader(text));
        try
        {
            stream.Load(parser);
        }
        catch (YamlException e)
        {
            errors.Add(e.Start, "(yaml syntax)", YamlMessage(e), "well-formed YAML");
            return new HubConfigResult(null, errors.Errors);
        }
        catch (Exception e) when (e is InvalidOperationException or ArgumentException)
        {
            // YamlDotNet throws these, not YamlException, on some malformed event streams (unclosed flow collections,
            // stray indicators); they are bad input all the same.
            errors.Add(parser.LastStart, "(yaml syntax)", "the YAML parser stopped after this point (an unclosed '[', '{' or quote?)", "well-formed YAML");
            return new HubConfigResult(null, errors.Errors);
        }
        if (stream.Documents.Count != 1)
        {
            var where = stream.Documents.Count == 0 ? new Mark() : stream.Documents[1].RootNode.Start;
            errors.Add(where, "(document)", $"{stream.Documents.Count} YAML documents",
                "exactly one document: a mapping with the keys " + string.Join(", ", TopLevelKeys));
            return new HubConfigResult(null, errors.Errors);
        }
        var context = new LoadContext(errors, baseDirectory ?? Directory.GetCurrentDirectory());
        var root = MapReader.Open(stream.Documents[0].RootNode, "", errors, [.. TopLevelKeys]);
        if (root is null)
        {
            return new HubConfigResult(null, errors.Errors);
        }
        var hub = HubAssembler.Read(root, context);
        var scheduling = SchedulingSection.Read(root);
        var classes = WorkloadClassSection.Read(root, context, hub);
        var ordered = errors.Errors
            .OrderBy(e => e.File != fileName)
            .ThenBy(e => e.File, StringComparer.Ordinal)
            .ThenBy(e => e.Line)
            .ThenBy(e => e.Column)
            .ToList();
        return new HubConfigResult(errors.Count == 0 ? hub : null, ordered, scheduling, errors.Count == 0 ? context.Backends : null, context.RunAs)
        {
            WorkloadClasses = errors.Count == 0 ? classes : [],
        };
    }

    /// <summary>YamlDotNet prefixes its messages with the position, which the error already carries.</summary>
    private static string YamlMessage(YamlException e) => PositionPrefix().Replace(e.Message, "").Trim();

    [GeneratedRegex(@"^\(Line: \d+, Col: \d+, Idx: \d+\) - \(Line: \d+, Col: \d+, Idx: \d+\):\s*")]
    private static partial Regex PositionPrefix();
}
