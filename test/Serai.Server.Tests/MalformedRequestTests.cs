using System.Net;
using System.Text;
using System.Text.Json;

namespace Serai.Server.Tests;

/// <summary>Bad input gets 400 with a ProblemDetails naming the field; nothing a client sends gives a 500.</summary>
public sealed class MalformedRequestTests(SqliteServerFixture fixture) : IClassFixture<SqliteServerFixture>
{
    private const string Ok = "\"command\":[\"true\"],\"gpus\":1";

    public static TheoryData<string, string, string, string?, string> Cases() => new()
    {
        // kind, method, path, body, field the answer must name
        { "invalid JSON", "POST", "/api/v1/jobs", """{"gpus":""", "body" },
        { "body is an array", "POST", "/api/v1/jobs", "[]", "body" },
        { "body is a string", "POST", "/api/v1/jobs", "\"run\"", "body" },
        { "command missing", "POST", "/api/v1/jobs", """{"gpus":1}""", "command" },
        { "command not an array", "POST", "/api/v1/jobs", """{"command":"echo hi","gpus":1}""", "command" },
        { "command empty", "POST", "/api/v1/jobs", """{"command":[],"gpus":1}""", "command" },
        { "command item not a string", "POST", "/api/v1/jobs", """{"command":["echo",5],"gpus":1}""", "command" },
        { "gpus missing", "POST", "/api/v1/jobs", """{"command":["true"]}""", "gpus" },
        { "gpus a string", "POST", "/api/v1/jobs", """{"command":["true"],"gpus":"two"}""", "gpus" },
        { "gpus zero", "POST", "/api/v1/jobs", """{"command":["true"],"gpus":0}""", "gpus" },
        { "gpus negative", "POST", "/api/v1/jobs", """{"command":["true"],"gpus":-3}""", "gpus" },
        { "gpus fractional", "POST", "/api/v1/jobs", """{"command":["true"],"gpus":1.5}""", "gpus" },
        { "gpus beyond the largest pool", "POST", "/api/v1/jobs", """{"command":["true"],"gpus":100000}""", "gpus" },
        { "gpus per node not a divisor", "POST", "/api/v1/jobs", """{"command":["true"],"gpus":4,"gpusPerNode":3}""", "gpusPerNode" },
        { "time not a time", "POST", "/api/v1/jobs", $$"""{{{Ok}},"time":"soon"}""", "time" },
        { "time minutes over 59", "POST", "/api/v1/jobs", $$"""{{{Ok}},"time":"1:99:00"}""", "time" },
        { "time given twice", "POST", "/api/v1/jobs", $$"""{{{Ok}},"time":"10","timeLimitSeconds":600}""", "time" },
        { "priority unknown", "POST", "/api/v1/jobs", $$"""{{{Ok}},"priority":"urgent"}""", "priority" },
        { "tenant of someone else", "POST", "/api/v1/jobs", $$"""{{{Ok}},"tenant":"beta"}""", "tenant" },
        { "dataset unknown", "POST", "/api/v1/jobs", $$"""{{{Ok}},"datasets":["nope"]}""", "datasets" },
        { "datasets not an array", "POST", "/api/v1/jobs", $$"""{{{Ok}},"datasets":"alpha-data"}""", "datasets" },
        { "AI system unknown", "POST", "/api/v1/jobs", $$"""{{{Ok}},"aiSystem":"skynet"}""", "aiSystem" },
        { "stack unknown", "POST", "/api/v1/jobs", $$"""{{{Ok}},"stacks":["opencl"]}""", "stacks" },
        { "accelerator unknown", "POST", "/api/v1/jobs", $$"""{{{Ok}},"accelerator":"TPU v5"}""", "accelerator" },
        { "memory negative", "POST", "/api/v1/jobs", $$"""{{{Ok}},"minGpuMemoryGb":-1}""", "minGpuMemoryGb" },
        { "deadline in the past", "POST", "/api/v1/jobs", $$"""{{{Ok}},"deadlineUnix":1000}""", "deadlineUnix" },
        { "deadline not a date", "POST", "/api/v1/jobs", $$"""{{{Ok}},"deadline":"tomorrow-ish"}""", "deadline" },
        { "deferrable not a boolean", "POST", "/api/v1/jobs", $$"""{{{Ok}},"deferrable":"yes"}""", "deferrable" },
        { "power fraction above 1", "POST", "/api/v1/jobs", $$"""{{{Ok}},"powerFraction":1.5}""", "powerFraction" },
        { "power fraction zero", "POST", "/api/v1/jobs", $$"""{{{Ok}},"powerFraction":0}""", "powerFraction" },
        { "unknown field", "POST", "/api/v1/jobs", $$"""{{{Ok}},"gpu":2}""", "gpu" },
        { "name too long", "POST", "/api/v1/jobs", $$"""{{{Ok}},"name":"{{new string('n', 300)}}"}""", "name" },
        { "job id not a number", "GET", "/api/v1/jobs/abc", null, "id" },
        { "cancel id not a number", "POST", "/api/v1/jobs/12x/cancel", null, "id" },
        { "state filter unknown", "GET", "/api/v1/jobs?state=done", null, "state" },
        { "limit zero", "GET", "/api/v1/jobs?limit=0", null, "limit" },
        { "cursor not an id", "GET", "/api/v1/jobs?before=yesterday", null, "before" },
        { "log stream unknown", "GET", "/api/v1/jobs/1/logs?stream=stdin", null, "stream" },
        { "log offset negative", "GET", "/api/v1/jobs/1/logs?offset=-1", null, "offset" },
        { "accounting month invalid", "GET", "/api/v1/accounting?period=2026-13", null, "period" },
        { "accounting period empty", "GET", "/api/v1/accounting?from=2026-02-01&to=2026-01-01", null, "to" },
        { "audit kind unknown", "GET", "/api/v1/audit?kind=everything", null, "kind" },
        { "AI system risk unknown", "POST", "/api/v1/ai-systems", """{"id":"x1","risk":"extreme"}""", "risk" },
        { "AI system id missing", "POST", "/api/v1/ai-systems", """{"risk":"minimal"}""", "id" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Malformed_request_is_a_400_naming_the_field(string kind, string method, string path, string? body, string field)
    {
        var client = fixture.Factory!.Client(SeraiFactory.AlphaToken);
        var request = new HttpRequestMessage(new HttpMethod(method), path);
        if (body is not null)
        {
            request.Content = Http.Json(body);
        }
        var response = await client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{kind}: {(int)response.StatusCode} {text}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonDocument.Parse(text).RootElement;
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), $"{kind}: errors do not name '{field}': {text}");
        Assert.Contains(field, problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Headers_are_validated_too()
    {
        var client = fixture.Factory!.Client(SeraiFactory.AlphaToken);
        var tooLong = new HttpRequestMessage(HttpMethod.Post, "/api/v1/jobs") { Content = Http.Json("""{"command":["true"],"gpus":1}""") };
        tooLong.Headers.Add("Idempotency-Key", new string('k', 200));
        var plain = new HttpRequestMessage(HttpMethod.Post, "/api/v1/jobs") { Content = new StringContent("gpus=1", Encoding.UTF8, "text/plain") };
        var response = await client.SendAsync(tooLong);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("Idempotency-Key", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        // a body that is not JSON at all is refused before it is read
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, (await client.SendAsync(plain)).StatusCode);
    }

    [Fact]
    public async Task An_oversized_body_is_refused_with_a_problem_not_a_server_error()
    {
        var client = fixture.Factory!.Client(SeraiFactory.AlphaToken);
        var huge = $$"""{"command":["{{new string('x', 2 << 20)}}"],"gpus":1}""";
        var response = await client.PostAsync("/api/v1/jobs", Http.Json(huge));
        Assert.True((int)response.StatusCode is 400 or 413, $"{(int)response.StatusCode}");
        Assert.Contains("body", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Priority_a_tenant_may_not_use_and_admin_without_tenant_are_400()
    {
        var beta = fixture.Factory!.Client(SeraiFactory.BetaToken);
        var emergency = await beta.SendAsync(new HttpRequestMessage(HttpMethod.Post, "/api/v1/jobs") { Content = Http.Json("""{"command":["true"],"gpus":1,"priority":"emergency"}""") });
        Assert.Equal(HttpStatusCode.BadRequest, emergency.StatusCode);
        Assert.Contains("may not use class 'emergency'", await emergency.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var admin = fixture.Factory!.Client(SeraiFactory.AdminToken);
        var noTenant = await admin.SendAsync(new HttpRequestMessage(HttpMethod.Post, "/api/v1/jobs") { Content = Http.Json("""{"command":["true"],"gpus":1}""") });
        Assert.Equal(HttpStatusCode.BadRequest, noTenant.StatusCode);
        Assert.Contains("tenant", await noTenant.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Random_garbage_never_gives_a_server_error()
    {
        var client = fixture.Factory!.Client(SeraiFactory.AlphaToken);
        var random = new Random(7);
        string[] pieces = ["{", "}", "[", "]", "\"gpus\"", "\"command\"", ":", ",", "1", "-1", "1e400", "null", "true", "\"x\"", "\"\\u0000\"", "[\"a\"]", "{}", "\"time\"", "\"99:99\""];
        for (var i = 0; i < 300; i++)
        {
            var body = string.Concat(Enumerable.Range(0, random.Next(1, 14)).Select(_ => pieces[random.Next(pieces.Length)]));
            var response = await client.PostAsync("/api/v1/jobs", Http.Json(body));
            Assert.True((int)response.StatusCode < 500, $"{body} gave {(int)response.StatusCode}");
        }
    }
}
