using System.Diagnostics;
using System.Text.Json;

namespace Serai.Server.Tests;

/// <summary>
/// The served OpenAPI document passes Redocly's CLI with its recommended rules and no errors (scripts/services/redocly.sh
/// installs it), so that a client generator can use it: every operation has an id, a summary, its security and a 4xx.
/// </summary>
public sealed class OpenApiLintTests
{
    [RedoclyFact]
    public async Task The_openapi_document_passes_redocly_lint_with_no_errors()
    {
        var directory = TestDatabases.NewDirectory();
        await using var factory = await new SeraiFactory(TestDatabases.NewSqlite(directory), directory, backend: "none").StartAsync();
        var document = await (await factory.Client(null).GetAsync("/openapi/v1.json")).Content.ReadAsStringAsync();
        var file = Path.Combine(directory, "openapi.json");
        await File.WriteAllTextAsync(file, document);

        var start = new ProcessStartInfo(RedoclyFactAttribute.Redocly) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in new[] { "lint", file, "--format=json" })
        {
            start.ArgumentList.Add(arg);
        }
        using var lint = Process.Start(start)!;
        var output = lint.StandardOutput.ReadToEndAsync();
        var errors = lint.StandardError.ReadToEndAsync();
        await lint.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(2));
        var report = JsonDocument.Parse(await output).RootElement;
        var problems = report.GetProperty("problems").EnumerateArray()
            .Where(p => p.GetProperty("severity").GetString() == "error")
            .Select(p => $"{p.GetProperty("ruleId").GetString()} at {p.GetProperty("location")[0].GetProperty("pointer").GetString()}: {p.GetProperty("message").GetString()}")
            .ToList();
        Assert.True(problems.Count == 0, $"redocly lint found {problems.Count} errors:\n{string.Join('\n', problems)}\n{await errors}");
        Assert.Equal(0, lint.ExitCode);
    }

    [Fact]
    public void An_operation_without_a_name_gets_an_id_from_its_method_and_path() =>
        Assert.Equal("getSitesNameSeries", Apis.OpenApiConventions.OperationId("GET", "api/v1/sites/{name:alpha}/series"));
}

/// <summary>A test that needs Redocly's CLI; skipped for a developer without it, never with CI=true (it fails instead).</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class RedoclyFactAttribute : FactAttribute
{
    public static readonly string Redocly = Environment.GetEnvironmentVariable("SERAI_REDOCLY")
        ?? Path.Combine(Environment.GetEnvironmentVariable("SERAI_TOOLS") ?? "/opt/serai-tools", "redocly/node_modules/.bin/redocly");

    public RedoclyFactAttribute()
    {
        var ci = string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);
        if (!File.Exists(Redocly) && !ci)
        {
            Skip = $"needs Redocly's CLI at {Redocly}: run scripts/services/redocly.sh";
        }
    }
}
