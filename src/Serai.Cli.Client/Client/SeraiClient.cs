using System.Net.Http.Headers;
using System.Text.Json;

namespace Serai.Cli.Client;

/// <summary>A failed API call: the status and the server's ProblemDetails text.</summary>
public sealed class ApiException(int status, string message) : Exception(message)
{
    public int Status { get; } = status;
}

/// <summary>The HTTP client of the CLI: bearer token, JSON in and out, ProblemDetails turned into readable errors.</summary>
public sealed class SeraiClient : IDisposable
{
    private readonly HttpClient _http;

    public SeraiClient(ClientConfig config)
    {
        _http = new HttpClient { BaseAddress = new Uri(config.Url.TrimEnd('/') + "/"), Timeout = TimeSpan.FromSeconds(100) };
        if (config.Token is not null)
        {
            _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", config.Token);
        }
    }

    public async Task<JsonElement> GetAsync(string path, CancellationToken cancellationToken) =>
        await ReadAsync(await SendAsync(new HttpRequestMessage(HttpMethod.Get, path.TrimStart('/')), cancellationToken), cancellationToken);

    public Task<JsonElement> PostAsync(string path, object? body, CancellationToken cancellationToken, string? idempotencyKey = null) =>
        SendAsync(HttpMethod.Post, path, body, cancellationToken, idempotencyKey);

    public async Task<JsonElement> SendAsync(HttpMethod method, string path, object? body, CancellationToken cancellationToken, string? idempotencyKey = null)
    {
        var request = new HttpRequestMessage(method, path.TrimStart('/'));
        if (body is not null)
        {
            request.Content = new ByteArrayContent(JsonText.Write(body));
            request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        }
        if (idempotencyKey is not null)
        {
            request.Headers.Add("Idempotency-Key", idempotencyKey);
        }
        return await ReadAsync(await SendAsync(request, cancellationToken), cancellationToken);
    }

    /// <summary>Raw text of a GET and one response header (logs).</summary>
    public async Task<(string Text, string? Header, string? State)> GetTextAsync(string path, string header, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(new HttpRequestMessage(HttpMethod.Get, path.TrimStart('/')), cancellationToken);
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            throw Problem((int)response.StatusCode, text);
        }
        return (text, response.Headers.TryGetValues(header, out var v) ? v.FirstOrDefault() : null,
            response.Headers.TryGetValues("X-Job-State", out var s) ? s.FirstOrDefault() : null);
    }

    public void Dispose() => _http.Dispose();

    private async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        try
        {
            return await _http.SendAsync(request, cancellationToken);
        }
        catch (HttpRequestException e)
        {
            throw new ApiException(0, $"cannot reach the Serai server at {_http.BaseAddress}: {e.Message} (start it with `serai serve`, or give --url / SERAI_URL)");
        }
    }

    private static async Task<JsonElement> ReadAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        using (response)
        {
            var text = await response.Content.ReadAsStringAsync(cancellationToken);
            if (!response.IsSuccessStatusCode)
            {
                throw Problem((int)response.StatusCode, text);
            }
            return text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone();
        }
    }

    private static ApiException Problem(int status, string text)
    {
        try
        {
            var problem = JsonDocument.Parse(text).RootElement;
            var detail = problem.TryGetProperty("detail", out var d) ? d.GetString() : null;
            var title = problem.TryGetProperty("title", out var t) ? t.GetString() : null;
            return new ApiException(status, $"{status} {title}: {detail ?? text}");
        }
        catch (JsonException)
        {
            return new ApiException(status, $"{status}: {text}");
        }
    }
}
