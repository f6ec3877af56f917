using System.CommandLine;
using System.Text;

namespace Serai.Cli.Commands;

/// <summary>`#SERAI --gpus 2 --time 1:00:00` lines at the top of a batch script, read as sbatch reads `#SBATCH` lines.</summary>
public static class Directives
{
    public const string Prefix = "#SERAI";

    /// <summary>
    /// The directives of <paramref name="script"/> parsed as `serai submit` flags, or null when it is not a readable
    /// file or has none; an error names the file, the line and the option.
    /// </summary>
    public static (ParseResult? Parsed, string? Error) Read(Command submit, string script)
    {
        var lines = Lines(script);
        if (lines.Count == 0)
        {
            return (null, null);
        }
        var words = new List<string>();
        foreach (var (number, text) in lines)
        {
            var (split, error) = Split(text);
            if (error is not null)
            {
                return (null, $"{script}:{number}: {error}");
            }
            foreach (var word in split)
            {
                if (word == "--" || ClientFlag(word))
                {
                    return (null, $"{script}:{number}: '{word}' is not allowed in a {Prefix} line; give it on the command line");
                }
                words.Add(word);
            }
        }
        var parsed = submit.Parse([.. words, "--", script]);
        if (parsed.Errors.Count > 0)
        {
            return (null, $"{script}: {Prefix} lines: {parsed.Errors[0].Message}");
        }
        if (SubmitCommandUnknown(parsed) is { } unknown)
        {
            return (null, $"{script}: {Prefix} lines: unknown option '{unknown}' (see `serai submit --help`)");
        }
        return (parsed, null);
    }

    private static string? SubmitCommandUnknown(ParseResult parsed)
    {
        var argv = parsed.CommandResult.Command.Arguments.OfType<Argument<string[]>>().FirstOrDefault();
        return argv is null ? null : SubmitCommand.UnknownOption(parsed, argv);
    }

    // -o/--output is the job's output file in `serai submit` (as in sbatch), so a directive may give it
    private static bool ClientFlag(string word) => word is "--url" or "--token" or "--json" or "--hub-profile";

    /// <summary>The `#SERAI` lines before the first line that is neither blank nor a comment, with their line numbers.</summary>
    private static List<(int Number, string Text)> Lines(string script)
    {
        var found = new List<(int, string)>();
        try
        {
            if (!File.Exists(script) || new FileInfo(script).Length > 1 << 20)
            {
                return found;
            }
            var number = 0;
            foreach (var line in File.ReadLines(script))
            {
                number++;
                var trimmed = line.Trim();
                if (trimmed.Length == 0 || (number == 1 && trimmed.StartsWith("#!", StringComparison.Ordinal)))
                {
                    continue;
                }
                if (!trimmed.StartsWith('#'))
                {
                    break;
                }
                if (trimmed.StartsWith(Prefix + " ", StringComparison.Ordinal) || trimmed.StartsWith(Prefix + "\t", StringComparison.Ordinal))
                {
                    var text = trimmed[Prefix.Length..];
                    var comment = text.IndexOf(" #", StringComparison.Ordinal);
                    found.Add((number, comment >= 0 ? text[..comment] : text));
                }
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // not a readable script: the command is taken as it is
        }
        return found;
    }

    /// <summary>Splits a line into words as a shell would for plain words and '...' or "..." quotes.</summary>
    internal static (List<string> Words, string? Error) Split(string text)
    {
        var words = new List<string>();
        var current = new StringBuilder();
        var inWord = false;
        char? quote = null;
        foreach (var c in text)
        {
            if (quote is { } q)
            {
                if (c == q)
                {
                    quote = null;
                }
                else
                {
                    current.Append(c);
                }
            }
            else if (c is '\'' or '"')
            {
                quote = c;
                inWord = true;
            }
            else if (char.IsWhiteSpace(c))
            {
                if (inWord)
                {
                    words.Add(current.ToString());
                    current.Clear();
                    inWord = false;
                }
            }
            else
            {
                current.Append(c);
                inWord = true;
            }
        }
        if (quote is not null)
        {
            return (words, $"unclosed {quote} quote");
        }
        if (inWord)
        {
            words.Add(current.ToString());
        }
        return (words, null);
    }
}
