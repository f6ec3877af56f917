using System.Globalization;

namespace Serai.Server.Apis;

/// <summary>Parsing of ids and paging parameters from the URL, with errors that name the parameter.</summary>
public static class ApiIds
{
    public static bool TryJobId(string text, out long id) =>
        long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out id) && id > 0;

    public static string JobIdError(string text) => $"'{Trim(text)}' is not a job id; job ids are positive integers";

    /// <summary>A page size from 1 to <paramref name="max"/>; <paramref name="fallback"/> when absent.</summary>
    public static int? Limit(string? text, int fallback, int max, FieldErrors errors)
    {
        if (text is null)
        {
            return fallback;
        }
        if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var limit) && limit is >= 1 && limit <= max)
        {
            return limit;
        }
        errors.Add("limit", $"'{Trim(text)}' is not allowed; give an integer from 1 to {max}");
        return null;
    }

    public static long? Cursor(string? text, string field, FieldErrors errors)
    {
        if (text is null)
        {
            return null;
        }
        if (TryJobId(text, out var id))
        {
            return id;
        }
        errors.Add(field, $"'{Trim(text)}' is not a cursor; use the 'next' value of the previous page");
        return null;
    }

    public static string Trim(string text) => text.Length > 40 ? text[..40] + "…" : text;
}
