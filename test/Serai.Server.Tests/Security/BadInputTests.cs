using System.Net;
using System.Net.Http.Headers;
using System.Text;

namespace Serai.Server.Tests.Security;

/// <summary>Issue 9, defect 5: inputs that gave a 500 now get a 4xx ProblemDetails that names the field.</summary>
public sealed class BadInputTests(SqliteServerFixture fixture) : IClassFixture<SqliteServerFixture>
{
    // a lone UTF-16 surrogate, escaped (valid JSON syntax, no valid string) and raw bytes that are not UTF-8
    private static readonly byte[] LoneSurrogateJob = Encoding.ASCII.GetBytes("""{"command":["echo","\ud800"],"gpus":1}""");
    private static readonly byte[] LoneSurrogateName = Encoding.ASCII.GetBytes("""{"command":["true"],"gpus":1,"\udc00name":"x"}""");
    private static readonly byte[] InvalidUtf8Job = [.. Encoding.ASCII.GetBytes("{\"command\":[\"echo\",\""), 0xC3, 0x28, 0xFF, .. Encoding.ASCII.GetBytes("\"],\"gpus\":1}")];
    private static readonly byte[] LoneSurrogateAiSystem = Encoding.ASCII.GetBytes("""{"id":"x\ud83d","risk":"minimal"}""");
    private static readonly byte[] InvalidUtf8AiSystem = [.. Encoding.ASCII.GetBytes("{\"id\":\"x"), 0xFE, .. Encoding.ASCII.GetBytes("\",\"risk\":\"minimal\"}")];

    public static TheoryData<string, string, string> Bodies() => new()
    {
        // case, path, field the answer must name
        { "lone surrogate in a job's command", "/api/v1/jobs", "command[1]" },
        { "lone surrogate in a property name", "/api/v1/jobs", "body" },
        { "invalid UTF-8 in a job's command", "/api/v1/jobs", "command[1]" },
        { "lone surrogate in an AI system's id", "/api/v1/ai-systems", "id" },
        { "invalid UTF-8 in an AI system's id", "/api/v1/ai-systems", "id" },
    };

    private static byte[] Body(string name) => name switch
    {
        "lone surrogate in a job's command" => LoneSurrogateJob,
        "lone surrogate in a property name" => LoneSurrogateName,
        "invalid UTF-8 in a job's command" => InvalidUtf8Job,
        "lone surrogate in an AI system's id" => LoneSurrogateAiSystem,
        _ => InvalidUtf8AiSystem,
    };

    [Theory]
    [MemberData(nameof(Bodies))]
    public async Task A_body_with_text_that_is_not_unicode_is_a_400_naming_the_field(string name, string path, string field)
    {
        var content = new ByteArrayContent(Body(name));
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        var response = await fixture.Factory!.Client(SeraiFactory.AlphaToken).PostAsync(path, content);
        var problem = await response.JsonAsync();
        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{name}: {(int)response.StatusCode} {problem}");
        Assert.Contains(field, problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("9999-12")]
    [InlineData("10000-01")]
    public async Task An_accounting_month_at_the_end_of_the_calendar_is_a_400_naming_period(string period)
    {
        var response = await fixture.Factory!.Client(SeraiFactory.AdminToken).GetAsync($"/api/v1/accounting?period={period}");
        var problem = await response.JsonAsync();
        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{(int)response.StatusCode} {problem}");
        Assert.Contains("period", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("from=9999-12-31&to=9999-12-31T23:59:59Z")]
    [InlineData("from=-62135596801&to=0")]
    [InlineData("from=0&to=999999999999999")]
    public async Task Accounting_bounds_outside_the_calendar_are_a_400(string query)
    {
        var response = await fixture.Factory!.Client(SeraiFactory.AdminToken).GetAsync($"/api/v1/accounting?{query}");
        Assert.True(response.StatusCode is HttpStatusCode.BadRequest or HttpStatusCode.OK, $"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
    }

    [Fact]
    public async Task An_AI_system_registration_over_1_MB_is_a_413()
    {
        var big = "{\"id\":\"" + new string('x', 2 << 20) + "\",\"risk\":\"minimal\"}";
        var response = await fixture.Factory!.Client(SeraiFactory.AlphaToken).PostAsync("/api/v1/ai-systems", Http.Json(big));
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.RequestEntityTooLarge, $"{(int)response.StatusCode} {text}");
        Assert.Contains("body", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_chunked_AI_system_registration_over_1_MB_is_a_413()
    {
        var stream = new MemoryStream(Encoding.UTF8.GetBytes("{\"id\":\"" + new string('x', 2 << 20) + "\",\"risk\":\"minimal\"}"));
        var content = new StreamContent(stream);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/ai-systems") { Content = content };
        request.Headers.TransferEncodingChunked = true;
        var response = await fixture.Factory!.Client(SeraiFactory.AlphaToken).SendAsync(request);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
    }
}
