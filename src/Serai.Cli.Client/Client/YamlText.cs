using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Serai.Cli.Client;

/// <summary>
/// A JSON answer written as YAML (`-o yaml`): block mappings and sequences, strings in double quotes (JSON's escapes are
/// YAML's), numbers, booleans and null as they are; `{}` and `[]` for empty ones. Reading it back gives the same data.
/// </summary>
public static class YamlText
{
    public static string Write(JsonElement value)
    {
        var text = new StringBuilder();
        if (value.ValueKind is JsonValueKind.Object or JsonValueKind.Array && !IsEmpty(value))
        {
            Block(text, value, 0);
        }
        else
        {
            text.Append(Scalar(value)).Append('\n');
        }
        return text.ToString();
    }

    private static void Block(StringBuilder text, JsonElement value, int indent)
    {
        var pad = new string(' ', indent);
        if (value.ValueKind == JsonValueKind.Object)
        {
            foreach (var property in value.EnumerateObject())
            {
                text.Append(pad).Append(Key(property.Name)).Append(':');
                Nested(text, property.Value, indent + 2);
            }
            return;
        }
        foreach (var item in value.EnumerateArray())
        {
            text.Append(pad).Append('-');
            Nested(text, item, indent + 2);
        }
    }

    private static void Nested(StringBuilder text, JsonElement value, int indent)
    {
        if (value.ValueKind is JsonValueKind.Object or JsonValueKind.Array && !IsEmpty(value))
        {
            text.Append('\n');
            Block(text, value, indent);
        }
        else
        {
            text.Append(' ').Append(Scalar(value)).Append('\n');
        }
    }

    private static bool IsEmpty(JsonElement value) =>
        value.ValueKind == JsonValueKind.Object ? !value.EnumerateObject().Any() : value.GetArrayLength() == 0;

    private static string Key(string name) =>
        name.Length > 0 && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-' or '.') && !char.IsAsciiDigit(name[0])
            ? name
            : Quote(name);

    private static string Scalar(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Object => "{}",
        JsonValueKind.Array => "[]",
        JsonValueKind.String => Quote(value.GetString()!),
        JsonValueKind.Number => value.GetRawText(),
        JsonValueKind.True => "true",
        JsonValueKind.False => "false",
        _ => "null",
    };

    /// <summary>A YAML double-quoted scalar: backslash, quote and control characters escaped, the rest as it is.</summary>
    public static string Quote(string text)
    {
        var quoted = new StringBuilder(text.Length + 2).Append('"');
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            var paired = char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]);
            _ = c switch
            {
                '"' => quoted.Append("\\\""),
                '\\' => quoted.Append("\\\\"),
                '\n' => quoted.Append("\\n"),
                '\t' => quoted.Append("\\t"),
                '\r' => quoted.Append("\\r"),
                _ when paired => quoted.Append(c).Append(text[++i]),
                _ when char.IsControl(c) || char.IsSurrogate(c) => quoted.Append(CultureInfo.InvariantCulture, $"\\u{(int)c:x4}"),
                _ => quoted.Append(c),
            };
        }
        return quoted.Append('"').ToString();
    }
}
