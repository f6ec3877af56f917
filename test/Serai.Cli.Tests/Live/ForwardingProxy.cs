using System.Net;

namespace Serai.Cli.Tests.Live;

/// <summary>
/// Forwards HTTP requests to a server with an in-process HttpClient, so that what another process (the native client)
/// sends shows in this process's HTTP diagnostics, where the contract test records requests.
/// </summary>
internal sealed class ForwardingProxy : IDisposable
{
    private static readonly string[] RequestHeaders = ["Authorization", "Idempotency-Key"];
    private readonly HttpListener _listener = new();
    private readonly HttpClient _http;

    public ForwardingProxy(string target)
    {
        Url = $"http://127.0.0.1:{LiveHub.FreePort()}";
        _http = new HttpClient { BaseAddress = new Uri(target.TrimEnd('/') + "/") };
        _listener.Prefixes.Add(Url + "/");
        _listener.Start();
        _ = Task.Run(AcceptAsync);
    }

    public string Url { get; }

    public void Dispose()
    {
        _listener.Close();
        _http.Dispose();
    }

    private async Task AcceptAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException)
            {
                return;
            }
            _ = Task.Run(() => ForwardAsync(context));
        }
    }

    private async Task ForwardAsync(HttpListenerContext context)
    {
        var incoming = context.Request;
        using var request = new HttpRequestMessage(new HttpMethod(incoming.HttpMethod), incoming.Url!.PathAndQuery.TrimStart('/'));
        if (incoming.HasEntityBody)
        {
            using var body = new MemoryStream();
            await incoming.InputStream.CopyToAsync(body);
            request.Content = new ByteArrayContent(body.ToArray());
            request.Content.Headers.TryAddWithoutValidation("Content-Type", incoming.ContentType);
        }
        foreach (var name in RequestHeaders)
        {
            if (incoming.Headers[name] is { } value)
            {
                request.Headers.TryAddWithoutValidation(name, value);
            }
        }
        using var response = await _http.SendAsync(request);
        var bytes = await response.Content.ReadAsByteArrayAsync();
        context.Response.StatusCode = (int)response.StatusCode;
        foreach (var (name, values) in response.Headers.Where(h => h.Key.StartsWith("X-", StringComparison.Ordinal) || h.Key is "Location" or "Retry-After"))
        {
            context.Response.Headers[name] = string.Join(",", values);
        }
        context.Response.ContentType = response.Content.Headers.ContentType?.ToString();
        context.Response.ContentLength64 = bytes.Length;
        await context.Response.OutputStream.WriteAsync(bytes);
        context.Response.Close();
    }
}
