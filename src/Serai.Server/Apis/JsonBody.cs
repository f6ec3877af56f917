using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Serai.Server.Apis;

/// <summary>Reads a request body as JSON; a body that is not JSON is a 400 naming the field "body".</summary>
internal static class JsonBody
{
    public static async Task<(JsonElement Body, ValidationProblem? Invalid)> ReadAsync(HttpContext context, string title)
    {
        try
        {
            using var document = await JsonDocument.ParseAsync(context.Request.Body, default, context.RequestAborted);
            return (document.RootElement.Clone(), null);
        }
        catch (JsonException e)
        {
            return (default, FieldErrors.One("body", $"is not valid JSON ({e.Message})", title));
        }
    }
}
