namespace Serai.Config;

/// <summary>One mistake in a hub config: where it is, which field, the value found and what is allowed instead.</summary>
public sealed record ConfigError(string File, int Line, int Column, string Field, string Value, string Allowed)
{
    /// <summary>The message as a compiler would print it: <c>FILE:LINE:COL: FIELD: VALUE — allowed: …</c>.</summary>
    public override string ToString() => $"{File}:{Line}:{Column}: {Field}: {Value} — allowed: {Allowed}";
}
