using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Serai.Server.Tests.Fuzz;

/// <summary>One generated request: what to send, and how it was made (for the report of a failure).</summary>
public sealed record FuzzRequest(string Method, string Url, byte[]? Body, string? ContentType, string? Authorization, string? IdempotencyKey, string Kind);

/// <summary>
/// Makes random and mutated requests for the operations of an OpenAPI document: wrong types, huge numbers, unicode
/// (lone surrogates, bytes that are not UTF-8, control characters), deep nesting, big bodies, bad ids and content
/// types. Request <c>n</c> depends only on the seed and <c>n</c>, so a run is the same whatever the concurrency.
/// </summary>
public sealed class RequestFuzzer(IReadOnlyList<ApiOperation> operations, FuzzPools pools, int seed)
{
    private static readonly string[] Strings =
    [
        "", " ", "a", "default", "demo", "alpha", "high", "low", "emergency", "normal", "preemptible", "running", "pending", "true", "null", "0", "-1",
        "1e309", "NaN", "Infinity", "2026-13", "9999-12", "10000-01", "0000-00", "2026-02-30T25:61:61Z", "30d", "0d", "-5h", "99999999d",
        "😀", "\u202egnp.exe", "\u200b", "\u0000", "\u001b[31m", "\ud800", "\udfff", "\udbff\udfff", "Ω≈ç√∫", "تست", "测试", "%00", "%s%s%n", "{{7*7}}",
        "' or 1=1 --", "\"; drop table jobs; --", "../../etc/passwd", "..\\..\\", "<script>alert(1)</script>", "${jndi:ldap://x}", "\r\nX-Injected: 1",
    ];

    private static readonly string[] BadIds =
    [
        "0", "-1", "1.5", "1e3", "18446744073709551616", "9223372036854775807", "-9223372036854775808", "abc", "null", "%00", "%ED%A0%80",
        "%C3%28", "%F0%9F%98%80", "..%2F..%2Fetc%2Fpasswd", "%2e%2e", "%20", "0x10", "+1", "1%0A", new string('9', 400), new string('a', 5000),
        "deadbeefdead", "DEADBEEFDEAD", "~", "%25",
    ];

    private static readonly string?[] ContentTypes =
    [
        "application/json", "application/json", "application/json", "application/json; charset=utf-8", "text/plain", "application/xml",
        "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", null, "application/json; charset=utf-16", "application/json; charset=iso-8859-1",
        "a/b/c", "application/problem+json", "*/*",
    ];

    private static readonly string[] Methods = ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"];

    public FuzzRequest Make(int n)
    {
        var rng = new Random(HashCode.Combine(seed, n));
        var op = operations[n % operations.Count];
        var kinds = new List<string>();
        var method = rng.Next(40) == 0 ? Pick(rng, Methods) : op.Method;
        if (method != op.Method)
        {
            kinds.Add("method");
        }
        var path = new StringBuilder();
        foreach (var segment in op.Path.Split('/'))
        {
            if (segment.Length == 0)
            {
                continue;
            }
            path.Append('/');
            if (segment.StartsWith('{') && segment.EndsWith('}'))
            {
                var name = segment[1..^1];
                var good = rng.Next(3) > 0;
                path.Append(good ? pools.GoodValue(name, rng) : Pick(rng, BadIds));
                kinds.Add(good ? "id" : "bad-id");
            }
            else
            {
                path.Append(segment);
            }
        }
        var query = new List<string>();
        foreach (var p in op.Parameters.Where(p => p.In == "query"))
        {
            if (rng.Next(2) == 0)
            {
                query.Add($"{Escape(p.Name)}={Escape(Value(rng, p.Type))}");
            }
        }
        if (rng.Next(10) == 0)
        {
            query.Add($"{Escape(Pick(rng, Strings))}={Escape(Pick(rng, Strings))}");
            kinds.Add("unknown-query");
        }
        if (rng.Next(20) == 0 && op.Parameters.FirstOrDefault(p => p.In == "query") is { } repeated)
        {
            query.Add($"{repeated.Name}=1");
            query.Add($"{repeated.Name}=2");
            kinds.Add("repeated-query");
        }
        var url = path + (query.Count > 0 ? "?" + string.Join("&", query) : "");

        byte[]? body = null;
        string? contentType = null;
        if (op.BodySchema is { } schema || rng.Next(15) == 0)
        {
            (body, var kind) = Body(rng, op.BodySchema);
            kinds.Add(kind);
            contentType = rng.Next(4) == 0 ? Pick(rng, ContentTypes) : "application/json";
            if (contentType != "application/json")
            {
                kinds.Add("content-type");
            }
        }
        var auth = rng.Next(20) switch
        {
            < 15 => $"Bearer {pools.AdminToken}",
            < 18 => $"Bearer {pools.TenantToken}",
            18 => null,
            _ => Pick(rng, (string[])["Bearer ", "Bearer serai_wrong", "Basic YWRtaW46YWRtaW4=", "Bearer " + new string('x', 4000), "bearer", "Token abc"]),
        };
        var key = rng.Next(8) == 0 ? Pick(rng, (string[])["k", new string('k', 200), "with space", "ok-" + n.ToString(CultureInfo.InvariantCulture), "\u007f"]) : null;
        return new FuzzRequest(method, url, body, contentType, auth, key, string.Join(",", kinds));
    }

    /// <summary>Percent-encodes; a lone surrogate (which UTF-8 cannot carry) goes as the bytes a careless encoder would send.</summary>
    private static string Escape(string text)
    {
        try
        {
            return Uri.EscapeDataString(text);
        }
        catch (UriFormatException)
        {
            return "%ED%A0%80";
        }
    }

    private static T Pick<T>(Random rng, IReadOnlyList<T> items) => items[rng.Next(items.Count)];

    /// <summary>A query or field value of the declared type, or deliberately of another.</summary>
    private string Value(Random rng, string type) => rng.Next(6) switch
    {
        0 => Pick(rng, Strings),
        1 => Number(rng),
        2 => type == "integer" ? rng.Next(-5, 1000).ToString(CultureInfo.InvariantCulture) : pools.GoodValue("name", rng),
        3 => new string('x', rng.Next(1, 3000)),
        4 => pools.GoodValue("id", rng),
        _ => Pick(rng, (string[])["true", "false", "[]", "{}", "1,2,3", "2026-01", "2026-01-01T00:00:00Z"]),
    };

    private static string Number(Random rng) => Pick(rng, (string[])
    [
        "0", "-0", "1", "-1", "2147483647", "2147483648", "-2147483649", "9223372036854775807", "9223372036854775808", "-9223372036854775809",
        "18446744073709551616", "1e308", "1e309", "-1e309", "1.7976931348623157e308", "4.9e-324", "0.1", "1e-400", "123456789012345678901234567890",
    ]);

    private (byte[] Body, string Kind) Body(Random rng, JsonElement? schema)
    {
        switch (rng.Next(20))
        {
            case < 8:
                return (Encoding.UTF8.GetBytes(Json(Mutate(rng, Valid(rng, schema)))), "mutated");
            case < 10:
                return (Encoding.UTF8.GetBytes(Json(Valid(rng, schema))), "valid");
            case 10:
                var depth = Pick(rng, (int[])[65, 200, 1000, 100_000]);
                var open = rng.Next(2) == 0 ? "[" : "{\"a\":";
                var close = open == "[" ? "]" : "}";
                return (Encoding.UTF8.GetBytes(string.Concat(Enumerable.Repeat(open, depth)) + "1" + string.Concat(Enumerable.Repeat(close, depth))), "deep");
            case 11:
                var size = Pick(rng, (int[])[100_000, 900_000, 1_100_000, 2_000_000]);
                return (Encoding.UTF8.GetBytes(Json(new Dictionary<string, object?> { ["name"] = new string('x', size), ["command"] = new[] { "true" } })), "big");
            case 12:
                // raw bytes that are not UTF-8 inside a string, and a lone surrogate escaped
                var raw = new List<byte>(Encoding.UTF8.GetBytes("{\"name\":\"a"));
                raw.AddRange(Pick(rng, (byte[][])[[0xC3, 0x28], [0xFF], [0xED, 0xA0, 0x80], [0xC0, 0xAF], [0xF8, 0x88, 0x80, 0x80, 0x80]]));
                raw.AddRange(Encoding.UTF8.GetBytes("\",\"command\":[\"\\ud800\"],\"gpus\":1}"));
                return ([.. raw], "bad-utf8");
            case 13:
                return (Encoding.UTF8.GetBytes(Pick(rng, (string[])["", "null", "[]", "\"text\"", "1", "true", "{", "{\"a\":", "{\"a\":1,}", "{'a':1}", "\ufeff{}", "{\"a\":1}{\"b\":2}", "NaN", "[1,2"])), "bare");
            case 14:
                var many = new StringBuilder("{");
                for (var i = 0; i < 20_000; i++)
                {
                    many.Append(i == 0 ? "" : ",").Append("\"k").Append(i).Append("\":").Append(i);
                }
                return (Encoding.UTF8.GetBytes(many.Append('}').ToString()), "many-keys");
            case 15:
                return (Encoding.UTF8.GetBytes("{\"gpus\":1,\"gpus\":\"two\",\"command\":[\"true\"],\"command\":null}"), "duplicate-keys");
            case 16:
                return (Encoding.UTF8.GetBytes("{\"gpus\":" + Number(rng) + ",\"command\":[\"true\"],\"timeLimitSeconds\":" + Number(rng) + "}"), "huge-number");
            default:
                return (Encoding.UTF8.GetBytes(Json(RandomValue(rng, 0))), "random");
        }
    }

    private static string Json(object? value) => JsonSerializer.Serialize(value, new JsonSerializerOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping });

    /// <summary>A body that follows the schema with plausible values (or a job submission when there is no schema).</summary>
    private Dictionary<string, object?> Valid(Random rng, JsonElement? schema)
    {
        var body = new Dictionary<string, object?>();
        if (schema is { ValueKind: JsonValueKind.Object } s && s.TryGetProperty("properties", out var properties))
        {
            foreach (var p in properties.EnumerateObject())
            {
                if (rng.Next(3) > 0)
                {
                    body[p.Name] = Plausible(rng, p.Name, OpenApiOperations.TypeOf(p.Value));
                }
            }
        }
        else
        {
            body["command"] = new[] { "true" };
            body["gpus"] = 1;
        }
        return body;
    }

    private object? Plausible(Random rng, string name, string type) => (name, type) switch
    {
        ("command", _) => new[] { "true" },
        ("gpus", _) => rng.Next(0, 3),
        ("tenant", _) => Pick(rng, (string[])["default", "demo"]),
        ("priority", _) => Pick(rng, (string[])["normal", "low", "high"]),
        (_, "integer") => rng.Next(0, 100),
        (_, "number") => rng.NextDouble() * 10,
        (_, "boolean") => rng.Next(2) == 0,
        (_, "array") => new[] { pools.GoodValue(name, rng) },
        (_, "object") => new Dictionary<string, object?> { ["k"] = "v" },
        _ => pools.GoodValue(name, rng),
    };

    private Dictionary<string, object?> Mutate(Random rng, Dictionary<string, object?> body)
    {
        var times = rng.Next(1, 4);
        for (var i = 0; i < times; i++)
        {
            var keys = body.Keys.ToList();
            switch (rng.Next(5))
            {
                case 0 when keys.Count > 0:
                    body.Remove(Pick(rng, keys));
                    break;
                case 1:
                    body[Pick(rng, Strings)] = RandomValue(rng, 0);
                    break;
                default:
                    body[keys.Count > 0 ? Pick(rng, keys) : "gpus"] = RandomValue(rng, 0);
                    break;
            }
        }
        return body;
    }

    private object? RandomValue(Random rng, int depth) => rng.Next(depth > 3 ? 7 : 10) switch
    {
        0 => null,
        1 => rng.Next(2) == 0,
        2 => double.Parse(Number(rng).Replace("1e309", "1e308", StringComparison.Ordinal).Replace("1e-400", "0", StringComparison.Ordinal), CultureInfo.InvariantCulture) is var d && double.IsFinite(d) ? d : 0,
        3 => rng.NextInt64(long.MinValue, long.MaxValue),
        4 => Pick(rng, Strings),
        5 => new string((char)rng.Next(0x20, 0xD7FF), rng.Next(0, 300)),
        6 => pools.GoodValue("id", rng),
        7 => Enumerable.Range(0, rng.Next(0, 5)).Select(_ => RandomValue(rng, depth + 1)).ToArray(),
        _ => Enumerable.Range(0, rng.Next(0, 5)).ToDictionary(i => Pick(rng, Strings) + i, _ => RandomValue(rng, depth + 1)),
    };
}

/// <summary>Values that exist on the server under test (job ids, site and tenant names, AI systems), so that some requests reach deep.</summary>
public sealed class FuzzPools
{
    public required string AdminToken { get; init; }
    public required string TenantToken { get; init; }
    public required IReadOnlyList<long> JobIds { get; init; }
    public required IReadOnlyList<string> Names { get; init; }

    public string GoodValue(string parameter, Random rng) => parameter switch
    {
        "id" when JobIds.Count > 0 && rng.Next(3) > 0 => JobIds[rng.Next(JobIds.Count)].ToString(CultureInfo.InvariantCulture),
        _ => Names[rng.Next(Names.Count)],
    };
}
