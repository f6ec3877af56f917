using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace Serai.Server.Tests;

/// <summary>Small helpers for calling the API in tests.</summary>
public static class Http
{
    public static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    public static Task<HttpResponseMessage> SubmitAsync(this HttpClient client, object body, string? key = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/jobs") { Content = JsonContent.Create(body) };
        if (key is not null)
        {
            request.Headers.Add("Idempotency-Key", key);
        }
        return client.SendAsync(request);
    }

    public static async Task<JsonElement> JsonAsync(this HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    public static async Task<long> SubmitIdAsync(this HttpClient client, object body)
    {
        var response = await client.SubmitAsync(body);
        Assert.Equal(System.Net.HttpStatusCode.Created, response.StatusCode);
        return (await response.JsonAsync()).GetProperty("id").GetInt64();
    }

    public static async Task<JsonElement> GetJobAsync(this HttpClient client, long id) =>
        await (await client.GetAsync($"/api/v1/jobs/{id}")).JsonAsync();

    /// <summary>
    /// Polls a job until <paramref name="done"/> holds or the time runs out; returns the last view. A poll that gets no
    /// job view (a transient error on a loaded CI machine) is retried; if the last one still has none, the test fails
    /// with its status and body.
    /// </summary>
    public static async Task<JsonElement> WaitForAsync(this HttpClient client, long id, Func<JsonElement, bool> done, double seconds = 20)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (true)
        {
            using var response = await client.GetAsync($"/api/v1/jobs/{id}");
            var body = await response.Content.ReadAsStringAsync();
            if (JobView(response, body) is { } job)
            {
                if (done(job) || DateTime.UtcNow > deadline)
                {
                    return job;
                }
            }
            else if (DateTime.UtcNow > deadline)
            {
                Assert.Fail($"GET /api/v1/jobs/{id} answered {(int)response.StatusCode}: {body}");
            }
            await Task.Delay(50);
        }
    }

    private static JsonElement? JobView(HttpResponseMessage response, string body)
    {
        if (!response.IsSuccessStatusCode)
        {
            return null;
        }
        try
        {
            using var document = JsonDocument.Parse(body);
            return document.RootElement.TryGetProperty("state", out _) ? document.RootElement.Clone() : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    public static string State(this JsonElement job) => job.GetProperty("state").GetString()!;
}
