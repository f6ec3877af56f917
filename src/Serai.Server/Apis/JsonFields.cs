using System.Globalization;
using System.Text.Json;

namespace Serai.Server.Apis;

/// <summary>Reads typed fields from a JSON object, recording an error that names the field, the value and what is allowed.</summary>
public sealed class JsonFields(JsonElement body, FieldErrors errors)
{
    public void RejectUnknown(IReadOnlyCollection<string> known)
    {
        foreach (var property in body.EnumerateObject())
        {
            if (!known.Contains(property.Name))
            {
                errors.Add(property.Name, $"unknown field; allowed fields: {string.Join(", ", known)}");
            }
        }
    }

    public void AddError(string field, string message) => errors.Add(field, message);

    public bool Has(string name) => body.TryGetProperty(name, out var v) && v.ValueKind != JsonValueKind.Null;

    public long? Integer(string name, long min, long max, bool required = false)
    {
        if (!Get(name, required, out var v))
        {
            return null;
        }
        if (v.ValueKind != JsonValueKind.Number || !v.TryGetInt64(out var value))
        {
            errors.Add(name, $"expected an integer, got {Show(v)}");
            return null;
        }
        if (value < min || value > max)
        {
            errors.Add(name, $"{value} is out of range; allowed {min}..{max}");
            return null;
        }
        return value;
    }

    public double? Number(string name, double min, double max, bool minExclusive = false)
    {
        if (!Get(name, false, out var v))
        {
            return null;
        }
        if (v.ValueKind != JsonValueKind.Number || !v.TryGetDouble(out var value))
        {
            errors.Add(name, $"expected a number, got {Show(v)}");
            return null;
        }
        if ((minExclusive ? value <= min : value < min) || value > max)
        {
            errors.Add(name, string.Create(CultureInfo.InvariantCulture, $"{value} is out of range; allowed {(minExclusive ? "above " : "")}{min} up to {max}"));
            return null;
        }
        return value;
    }

    public bool? Boolean(string name)
    {
        if (!Get(name, false, out var v))
        {
            return null;
        }
        if (v.ValueKind is not (JsonValueKind.True or JsonValueKind.False))
        {
            errors.Add(name, $"expected true or false, got {Show(v)}");
            return null;
        }
        return v.GetBoolean();
    }

    public string? Text(string name, int maxLength, bool required = false)
    {
        if (!Get(name, required, out var v))
        {
            return null;
        }
        if (v.ValueKind != JsonValueKind.String)
        {
            errors.Add(name, $"expected a string, got {Show(v)}");
            return null;
        }
        var value = v.GetString()!;
        if (value.Trim().Length == 0 || value.Length > maxLength || value.Any(char.IsControl))
        {
            errors.Add(name, $"{Show(v)} is not allowed; give 1 to {maxLength} printable characters");
            return null;
        }
        return value.Trim();
    }

    public string[]? TextArray(string name, int maxCount, int maxLength, bool required = false)
    {
        if (!Get(name, required, out var v))
        {
            return null;
        }
        if (v.ValueKind != JsonValueKind.Array)
        {
            errors.Add(name, $"expected an array of strings, got {Show(v)}");
            return null;
        }
        var items = new List<string>();
        foreach (var item in v.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.String || item.GetString() is not { Length: > 0 } text || text.Length > maxLength || text.Contains('\0', StringComparison.Ordinal))
            {
                errors.Add(name, $"item {items.Count} is {Show(item)}; each item must be a non-empty string of at most {maxLength} characters");
                return null;
            }
            items.Add(text);
        }
        if (items.Count > maxCount || (required && items.Count == 0))
        {
            errors.Add(name, $"has {items.Count} items; allowed {(required ? 1 : 0)}..{maxCount}");
            return null;
        }
        return [.. items];
    }

    private bool Get(string name, bool required, out JsonElement value)
    {
        if (body.TryGetProperty(name, out value) && value.ValueKind != JsonValueKind.Null)
        {
            return true;
        }
        if (required)
        {
            errors.Add(name, "is required");
        }
        return false;
    }

    public static string Show(JsonElement v)
    {
        var raw = v.ValueKind == JsonValueKind.String ? $"\"{v.GetString()}\"" : v.GetRawText();
        return v.ValueKind + " " + (raw.Length > 60 ? raw[..60] + "…" : raw);
    }
}
