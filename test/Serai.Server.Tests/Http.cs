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

    /// <summary>Polls a job until <paramref name="done"/> holds or the time runs out; returns the last view.</summary>
    public static async Task<JsonElement> WaitForAsync(this HttpClient client, long id, Func<JsonElement, bool> done, double seconds = 20)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (true)
        {
            var job = await client.GetJobAsync(id);
            if (done(job) || DateTime.UtcNow > deadline)
            {
                return job;
            }
            await Task.Delay(50);
        }
    }

    public static string State(this JsonElement job) => job.GetProperty("state").GetString()!;
}
