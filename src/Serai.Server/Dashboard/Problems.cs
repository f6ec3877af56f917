using Serai.Server.Apis;

namespace Serai.Server.Dashboard;

/// <summary>ProblemDetails answers of the dashboard's endpoints, naming the field at fault.</summary>
public static class Problems
{
    public static IResult Field(string field, string message, int status = 400)
    {
        var errors = new FieldErrors();
        errors.Add(field, message);
        var problem = errors.ToProblem("invalid request");
        return status == 400 ? problem : Results.Problem(statusCode: status, title: "invalid request", detail: $"{field}: {message}");
    }
}
