using System.Globalization;
using System.Text;

namespace Serai.Execution;

/// <summary>What the letters of a job's output pattern stand for: Serai's ids (not a Slurm id), the job's name and its user.</summary>
/// <param name="JobId">Serai's job id (%j).</param>
/// <param name="ArrayJobId">The array's id, its first task's job id (%A); null for a job that is not an array task.</param>
/// <param name="ArrayTaskId">The task's index in its array (%a); null for a job that is not an array task.</param>
/// <param name="JobName">The job's name, else its command's file name (%x).</param>
/// <param name="User">The tenant the job runs for (%u).</param>
public sealed record OutputNames(long JobId, long? ArrayJobId, int? ArrayTaskId, string JobName, string User);

/// <summary>
/// sbatch's filename patterns for a job's stdout and stderr (<c>--output</c>, <c>--error</c>), expanded on Serai's side:
/// <c>%j</c>, <c>%A</c>, <c>%a</c>, <c>%x</c>, <c>%u</c>, <c>%%</c>, a zero-padding width (<c>%4a</c>, at most 10, ignored for
/// names) and a backslash anywhere, which turns replacement off (the backslashes are dropped), as sbatch does. The
/// letters of nodes, steps and tasks (<c>%N %n %t %s %J</c>) are refused: Serai opens the file once per attempt, as the
/// job's account, before any of them exists. Pure: no file system.
/// </summary>
public static class OutputPattern
{
    /// <summary>Longest pattern and expanded path, in characters (PATH_MAX less its NUL).</summary>
    public const int MaxLength = 4095;

    /// <summary>What a pattern may hold, for error messages.</summary>
    public const string Allowed =
        "%j (job id), %A (array job id), %a (array task index), %x (job name), %u (user: the tenant), %% (a literal %), " +
        "a width such as %4a (zero-padded, at most 10), or a \\ anywhere to turn replacement off";

    private const int MaxWidth = 10;

    /// <summary>
    /// Why <paramref name="pattern"/> cannot name a job's output file, or null when it can; <paramref name="array"/> says
    /// whether the job is an array task (only those have <c>%a</c>).
    /// </summary>
    public static string? Check(string pattern, bool array)
    {
        ArgumentNullException.ThrowIfNull(pattern);
        if (pattern.Length == 0)
        {
            return "is empty; give a file name, absolute or relative to the job's working directory";
        }
        if (pattern.Length > MaxLength)
        {
            return $"is {pattern.Length} characters long; at most {MaxLength}";
        }
        if (pattern.IndexOfAny(ControlCharacters) is var at and >= 0)
        {
            return $"holds the control character U+{(int)pattern[at]:X4} at position {at}; a file name here has no NUL, newline or other control characters";
        }
        if (!pattern.Contains('\\', StringComparison.Ordinal))
        {
            for (var i = 0; i < pattern.Length; i++)
            {
                if (pattern[i] != '%')
                {
                    continue;
                }
                var (letter, next) = Directive(pattern, i);
                if (Refusal(letter, array) is { } refused)
                {
                    return refused;
                }
                i = next;
            }
        }
        var sample = Expand(pattern, new OutputNames(long.MaxValue, long.MaxValue, int.MaxValue, "x", "u"));
        if (sample.Length == 0 || sample.EndsWith('/') || Path.GetFileName(sample) is "." or "..")
        {
            return "names a directory, not a file; end it with a file name (e.g. out-%j.txt)";
        }
        return null;
    }

    /// <summary>The file name <paramref name="pattern"/> (already checked) stands for; relative stays relative (to the job's working directory).</summary>
    public static string Expand(string pattern, OutputNames names)
    {
        ArgumentNullException.ThrowIfNull(pattern);
        ArgumentNullException.ThrowIfNull(names);
        if (pattern.Contains('\\', StringComparison.Ordinal))
        {
            return pattern.Replace("\\", "", StringComparison.Ordinal); // sbatch: a backslash turns replacement off
        }
        var text = new StringBuilder(pattern.Length + 32);
        for (var i = 0; i < pattern.Length; i++)
        {
            if (pattern[i] != '%')
            {
                text.Append(pattern[i]);
                continue;
            }
            var start = i;
            var (letter, next) = Directive(pattern, i);
            var width = WidthOf(pattern.AsSpan(start + 1, Math.Max(0, next - start - 1)));
            i = next;
            switch (letter)
            {
                case '%':
                    text.Append('%');
                    break;
                case 'j':
                    Number(text, names.JobId, width);
                    break;
                case 'A':
                    Number(text, names.ArrayJobId ?? names.JobId, width); // as sbatch: a job that is no array is its own
                    break;
                case 'a' when names.ArrayTaskId is { } task:
                    Number(text, task, width);
                    break;
                case 'x':
                    text.Append(Component(names.JobName));
                    break;
                case 'u':
                    text.Append(Component(names.User));
                    break;
                default:
                    text.Append(pattern, start, next - start + 1); // refused by Check; kept as written
                    break;
            }
        }
        return text.ToString();
    }

    /// <summary>An expanded name as an absolute path: relative ones are under <paramref name="workingDirectory"/>.</summary>
    public static string Resolve(string expanded, string workingDirectory) =>
        Path.IsPathRooted(expanded) ? expanded : Path.Combine(workingDirectory, expanded);

    private static readonly char[] ControlCharacters = [.. Enumerable.Range(0, 0x20).Select(c => (char)c), '\u007f'];

    /// <summary>The letter of the directive at <paramref name="percent"/> (after its width digits) and its index; '\0' at the end of the text.</summary>
    private static (char Letter, int Index) Directive(string pattern, int percent)
    {
        var i = percent + 1;
        while (i < pattern.Length && char.IsAsciiDigit(pattern[i]))
        {
            i++;
        }
        return i < pattern.Length ? (pattern[i], i) : ('\0', pattern.Length - 1);
    }

    private static string? Refusal(char letter, bool array) => letter switch
    {
        '%' or 'j' or 'A' or 'x' or 'u' => null,
        'a' => array ? null : "uses %a, the array task index, but the job is not an array; give --array, or leave %a out",
        '\0' => $"ends in a lone %; write %% for a literal %. Allowed: {Allowed}",
        'J' or 's' => $"uses %{letter} (a Slurm step); a Serai job has no steps. Allowed: {Allowed}",
        'N' or 'n' or 't' => $"uses %{letter} (a node or task of the job); Serai opens one file per job, before its nodes are known. Allowed: {Allowed}",
        _ => $"uses %{letter}, which is not a pattern letter. Allowed: {Allowed}",
    };

    private static int WidthOf(ReadOnlySpan<char> digits)
    {
        var width = 0;
        foreach (var c in digits)
        {
            width = Math.Min(MaxWidth, width * 10 + (c - '0'));
        }
        return width;
    }

    private static void Number(StringBuilder text, long value, int width) =>
        text.Append(value.ToString(CultureInfo.InvariantCulture).PadLeft(width, '0'));

    // A name or user fills one path component: a '/' in a job's name does not lead into another directory, and a '\'
    // does not turn off the replacement of a Slurm that reads the path again (see SlurmNames.OutputArgument).
    private static string Component(string name)
    {
        var clean = new StringBuilder(name.Length);
        foreach (var c in name)
        {
            clean.Append(c is '/' or '\\' || char.IsControl(c) ? '_' : c);
        }
        return clean.Length == 0 ? "_" : clean.ToString();
    }
}
