using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Serai.Server.Apis;

/// <summary>
/// Reads a request body as JSON; a body that is not JSON is a 400 naming the field "body", and a string that is not
/// Unicode text (a lone UTF-16 surrogate escape, bytes that are not UTF-8) a 400 naming the field it is in.
/// </summary>
internal static class JsonBody
{
    public static async Task<(JsonElement Body, ValidationProblem? Invalid)> ReadAsync(HttpContext context, string title)
    {
        try
        {
            using var document = await JsonDocument.ParseAsync(context.Request.Body, default, context.RequestAborted);
            if (FirstInvalidText(document.RootElement, "") is { } field)
            {
                return (default, FieldErrors.One(field, "is not valid Unicode text (a lone UTF-16 surrogate or bytes that are not UTF-8)", title));
            }
            return (document.RootElement.Clone(), null);
        }
        catch (JsonException e)
        {
            return (default, FieldErrors.One("body", $"is not valid JSON ({e.Message})", title));
        }
    }

    /// <summary>The path of the first string or property name that does not decode ("command[1]"; "body" for a name), or null.</summary>
    private static string? FirstInvalidText(JsonElement element, string path)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.String:
                return Decodes(element.GetString) ? null : path.Length == 0 ? "body" : path;
            case JsonValueKind.Array:
                var index = 0;
                foreach (var item in element.EnumerateArray())
                {
                    if (FirstInvalidText(item, string.Create(CultureInfo.InvariantCulture, $"{path}[{index++}]")) is { } found)
                    {
                        return found;
                    }
                }
                return null;
            case JsonValueKind.Object:
                foreach (var property in element.EnumerateObject())
                {
                    string? name = null;
                    if (!Decodes(() => name = property.Name))
                    {
                        return path.Length == 0 ? "body" : path;
                    }
                    if (FirstInvalidText(property.Value, path.Length == 0 ? name! : $"{path}.{name}") is { } found)
                    {
                        return found;
                    }
                }
                return null;
            default:
                return null;
        }
    }

    private static bool Decodes(Func<string?> read)
    {
        try
        {
            read();
            return true;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }
}
