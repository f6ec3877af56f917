using System.Text.Json;

namespace Serai.Server.Tests.Fuzz;

/// <summary>One operation of the OpenAPI document: its method, path template, parameters and JSON body schema.</summary>
public sealed record ApiOperation(string Method, string Path, IReadOnlyList<ApiParameter> Parameters, JsonElement? BodySchema)
{
    public override string ToString() => $"{Method} {Path}";
}

/// <summary>A path or query parameter and the JSON type its schema names (string when none).</summary>
public sealed record ApiParameter(string Name, string In, string Type);

/// <summary>Reads the operations out of the server's OpenAPI document, resolving component references.</summary>
public static class OpenApiOperations
{
    public static IReadOnlyList<ApiOperation> Read(JsonElement document)
    {
        var components = document.TryGetProperty("components", out var c) && c.TryGetProperty("schemas", out var s) ? s : default;
        var operations = new List<ApiOperation>();
        foreach (var path in document.GetProperty("paths").EnumerateObject())
        {
            foreach (var method in path.Value.EnumerateObject())
            {
                if (method.Name is "parameters" or "summary" or "description")
                {
                    continue;
                }
                var parameters = new List<ApiParameter>();
                if (method.Value.TryGetProperty("parameters", out var list))
                {
                    foreach (var p in list.EnumerateArray())
                    {
                        var schema = p.TryGetProperty("schema", out var ps) ? Resolve(ps, components) : default;
                        parameters.Add(new ApiParameter(p.GetProperty("name").GetString()!, p.GetProperty("in").GetString()!, TypeOf(schema)));
                    }
                }
                JsonElement? body = null;
                if (method.Value.TryGetProperty("requestBody", out var rb) && rb.TryGetProperty("content", out var content))
                {
                    foreach (var media in content.EnumerateObject())
                    {
                        body = media.Value.TryGetProperty("schema", out var bs) ? Resolve(bs, components) : null;
                        break;
                    }
                }
                operations.Add(new ApiOperation(method.Name.ToUpperInvariant(), path.Name, parameters, body));
            }
        }
        return operations;
    }

    /// <summary>Follows a <c>$ref</c> to its component schema (one level; enough for body records).</summary>
    public static JsonElement Resolve(JsonElement schema, JsonElement components)
    {
        if (schema.ValueKind == JsonValueKind.Object && schema.TryGetProperty("$ref", out var r) && components.ValueKind == JsonValueKind.Object
            && components.TryGetProperty(r.GetString()!.Split('/')[^1], out var target))
        {
            return target;
        }
        return schema;
    }

    public static string TypeOf(JsonElement schema)
    {
        if (schema.ValueKind != JsonValueKind.Object || !schema.TryGetProperty("type", out var t))
        {
            return "string";
        }
        // OpenAPI 3.1 lists ["string", "null"]
        return t.ValueKind == JsonValueKind.Array ? t.EnumerateArray().Select(x => x.GetString()).FirstOrDefault(x => x != "null") ?? "string" : t.GetString() ?? "string";
    }
}
