namespace Serai.Server.Apis;

/// <summary>Validation errors by field, turned into a 400 ProblemDetails whose detail names every field.</summary>
public sealed class FieldErrors
{
    private readonly Dictionary<string, List<string>> _errors = new(StringComparer.Ordinal);

    public bool Any => _errors.Count > 0;

    /// <summary>Each field with its messages (each "field: message"), to carry them under another name.</summary>
    public IEnumerable<(string Field, IReadOnlyList<string> Messages)> Fields => _errors.Select(e => (e.Key, (IReadOnlyList<string>)e.Value));

    /// <summary>
    /// Fields named in one answer; the rest are counted. A body of 20,000 unknown fields once made a 12 MB answer (and
    /// ran a server with a 512 MiB heap out of memory under 8 such requests at once).
    /// </summary>
    public const int MaxFields = 20;

    private int _moreFields;

    public void Add(string field, string message)
    {
        field = ApiIds.Trim(field);
        if (!_errors.TryGetValue(field, out var list))
        {
            if (_errors.Count >= MaxFields)
            {
                _moreFields++;
                return;
            }
            _errors[field] = list = [];
        }
        if (list.Count < MaxFields)
        {
            list.Add($"{field}: {message}");
        }
    }

    public Microsoft.AspNetCore.Http.HttpResults.ValidationProblem ToProblem(string title) =>
        TypedResults.ValidationProblem(
            _errors.ToDictionary(e => e.Key, e => e.Value.ToArray()),
            detail: string.Join("; ", _errors.Values.SelectMany(v => v)) + (_moreFields > 0 ? $"; and {_moreFields} more fields with errors" : ""),
            title: title);

    public static Microsoft.AspNetCore.Http.HttpResults.ValidationProblem One(string field, string message, string title = "invalid request")
    {
        var errors = new FieldErrors();
        errors.Add(field, message);
        return errors.ToProblem(title);
    }
}
