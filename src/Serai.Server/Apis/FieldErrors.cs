namespace Serai.Server.Apis;

/// <summary>Validation errors by field, turned into a 400 ProblemDetails whose detail names every field.</summary>
public sealed class FieldErrors
{
    private readonly Dictionary<string, List<string>> _errors = new(StringComparer.Ordinal);

    public bool Any => _errors.Count > 0;

    public void Add(string field, string message)
    {
        if (!_errors.TryGetValue(field, out var list))
        {
            _errors[field] = list = [];
        }
        list.Add($"{field}: {message}");
    }

    public Microsoft.AspNetCore.Http.HttpResults.ValidationProblem ToProblem(string title) =>
        TypedResults.ValidationProblem(
            _errors.ToDictionary(e => e.Key, e => e.Value.ToArray()),
            detail: string.Join("; ", _errors.Values.SelectMany(v => v)),
            title: title);

    public static Microsoft.AspNetCore.Http.HttpResults.ValidationProblem One(string field, string message, string title = "invalid request")
    {
        var errors = new FieldErrors();
        errors.Add(field, message);
        return errors.ToProblem(title);
    }
}
