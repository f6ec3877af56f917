using System.Net;
using System.Text;

namespace Serai.Server.Tests.Security;

/// <summary>
/// Found by the fuzz test: a body of 20,000 unknown fields was answered with one error per field, each listing the
/// allowed fields (a 12 MB answer to a 300 KB body); a few such requests at once ran a server with a 512 MiB heap out
/// of memory (500). An answer now names at most 20 fields and counts the rest.
/// </summary>
public sealed class ErrorSizeTests : IClassFixture<SqliteServerFixture>
{
    private readonly SqliteServerFixture _fixture;

    public ErrorSizeTests(SqliteServerFixture fixture) => _fixture = fixture;

    [Fact]
    public async Task A_body_of_twenty_thousand_unknown_fields_gets_a_small_400_that_counts_what_it_does_not_name()
    {
        var body = new StringBuilder("{\"command\":[\"true\"],\"gpus\":1");
        for (var i = 0; i < 20_000; i++)
        {
            body.Append(",\"unknown").Append(i).Append("\":").Append(i);
        }
        using var client = _fixture.Factory!.Client(SeraiFactory.AdminToken);
        using var response = await client.PostAsync("/api/v1/jobs", Http.Json(body.Append('}').ToString()));
        var text = await response.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True(text.Length < 16_000, $"the answer is {text.Length} characters long");
        Assert.Contains("unknown0", text, StringComparison.Ordinal);
        Assert.Contains("and 19980 more fields with errors", text, StringComparison.Ordinal);
    }
}
