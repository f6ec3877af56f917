using System.Text.RegularExpressions;

namespace Serai.Config.Reading;

/// <summary>Rules for names and codes in the config.</summary>
internal static partial class Names
{
    public const string NameAllowed = "a name of letters, digits, '-', '_' or '.', starting with a letter or digit, at most 64 characters";
    public const string CountryAllowed = "an ISO 3166-1 alpha-2 country code in capitals, e.g. KZ, UZ, KG";
    public const string StackAllowed = "a software stack name in lower case, e.g. cuda, rocm, cann";

    public static string? Name(MapReader map, string key)
    {
        var text = map.Text(key, required: true, NameAllowed);
        if (text is not null && !NamePattern().IsMatch(text))
        {
            map.Errors.Add(map.Get(key)!, map.Field(key), text, NameAllowed);
            return null;
        }
        return text;
    }

    public static bool IsName(string text) => NamePattern().IsMatch(text);

    public static bool IsCountry(string text) => CountryPattern().IsMatch(text);

    public static bool IsStack(string text) => StackPattern().IsMatch(text);

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")]
    private static partial Regex NamePattern();

    [GeneratedRegex("^[A-Z]{2}$")]
    private static partial Regex CountryPattern();

    [GeneratedRegex("^[a-z][a-z0-9._-]{0,31}$")]
    private static partial Regex StackPattern();
}
