using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace Serai.Config.Reading;

/// <summary>
/// Wraps YamlDotNet's parser to remember where the last event started, so that a failure inside the parser that is
/// not a <see cref="YamlException"/> (it throws InvalidOperationException or ArgumentException on some malformed input) can
/// still be reported with a line.
/// </summary>
internal sealed class TrackingParser(TextReader input) : IParser
{
    private readonly Parser _parser = new(input);

    public Mark LastStart { get; private set; } = Mark.Empty;

    public ParsingEvent? Current => _parser.Current;

    public bool MoveNext()
    {
        var moved = _parser.MoveNext();
        if (_parser.Current is { } current)
        {
            LastStart = current.Start;
        }
        return moved;
    }
}
