using System.Diagnostics;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Serai.Cli.Tests.Live;

/// <summary>
/// The CLI and the OpenAPI document cannot drift apart: every request the CLI's commands send (recorded from .NET's
/// HTTP diagnostics while the commands run against a live hub) names an operation of the server's own document, with
/// only the query parameters it declares and only the body properties its request schema has.
/// </summary>
[Collection(LiveHubCollection.Name)]
public sealed class ApiContractTests(LiveHub hub)
{
    [Fact]
    public Task Every_request_the_CLI_sends_is_an_operation_of_the_OpenAPI_document_with_declared_parameters_and_body_properties() =>
        CheckAsync(hub, hub.Cli);

    /// <summary>
    /// Runs the commands with <paramref name="cli"/> (the in-process CLI, or the native one through a
    /// <see cref="ForwardingProxy"/>) and checks what reached <paramref name="hub"/> against its OpenAPI document.
    /// </summary>
    internal static async Task CheckAsync(LiveHub hub, Func<string[], (int Code, string Out, string Error)> cli)
    {
        var work = hub.NewWorkDirectory();
        var script = Path.Combine(work, "job.sh");
        File.WriteAllText(script, "#!/bin/sh\n#SERAI --gpus 1 --time 5:00\necho hi\n");
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(script, (UnixFileMode)0x1ED);
        }
        using var recorder = new RequestRecorder(hub.Url);
        var first = hub.Submit("-G", "1", "-t", "10:00", "-J", "contract", "--hold", "--chdir", work, "--export", "NONE,DEMO=1", "--notify", "https://hooks.example.org/x", "--", "sleep", "30");
        var array = hub.Submit("-G", "1", "--array", "0-3%2", "--hold", "--", "true");
        var waiting = hub.Submit("-G", "1", "--dependency", $"afterok:{first}", "--", "true");
        List<string[]> commands =
        [
            ["submit", "--chdir", work, "--", script],
            ["submit", "-G", "1", "--dependency", $"afterok:{first}", "--hold", "--", "true"],
            ["jobs"], ["jobs", "--state", "pending", "--name", "contract", "--limit", "5", "-o", "wide"], ["jobs", "--array", array, "--all"],
            ["job", first], ["logs", first], ["update", first, "--priority", "high", "--time", "20:00", "--job-name", "contract2"],
            ["hold", waiting], ["release", waiting], ["release", first], ["cancel", waiting], ["cancel", first],
            ["cancel", "--array", array, "--yes"],
            ["sites"], ["usage"], ["token", "list"], ["datasets"], ["ai-systems", "list"], ["audit", "--job", first], ["accounting", "--csv"],
            ["operations"], ["site", "curtailments"],
            ["submit", "-G", "1", "-t", "5:00", "--test-only", "--", "true"], ["job", waiting, "--forecast"],
            ["whatif", "--site", "local", "--temperature", "46", "--for", "1h", "--horizon", "2h"],
            ["site", "drain", "local", "--reason", "contract test"], ["site", "resume", "local", "--reason", "contract test"],
        ];
        foreach (var args in commands)
        {
            var (code, _, error) = cli(args);
            Assert.True(code == 0, $"serai {string.Join(' ', args)}: exit {code}: {error}");
        }
        var sent = recorder.Requests;
        Assert.True(sent.Count >= commands.Count, $"only {sent.Count} requests recorded");
        // the recorder sees bodies too: the submissions' JSON, with the job's command and the options given
        Assert.Contains(sent, r => r.Method == HttpMethod.Post && r.Body is { } b && b.TryGetProperty("command", out _) && b.TryGetProperty("notify", out _));

        using var http = new HttpClient();
        var document = JsonDocument.Parse(await http.GetStringAsync(hub.Url + "/openapi/v1.json")).RootElement;
        var operations = Operations(document);
        var problems = new List<string>();
        var used = new HashSet<string>();
        foreach (var request in sent)
        {
            var path = request.Uri.AbsolutePath;
            var match = operations.FirstOrDefault(o => o.Method == request.Method && o.Path.IsMatch(path));
            if (match is null)
            {
                problems.Add($"{request.Method} {path}: no such operation in the OpenAPI document");
                continue;
            }
            used.Add(match.Id);
            var query = System.Web.HttpUtility.ParseQueryString(request.Uri.Query);
            foreach (var key in query.AllKeys.OfType<string>().Where(k => !match.Query.Contains(k)))
            {
                problems.Add($"{request.Method} {path}: query parameter '{key}' is not declared by {match.Id} (declared: {string.Join(", ", match.Query)})");
            }
            if (request.Body is { ValueKind: JsonValueKind.Object } body && match.BodyProperties is { } allowed)
            {
                foreach (var property in body.EnumerateObject().Where(p => !allowed.Contains(p.Name)))
                {
                    problems.Add($"{request.Method} {path}: body property '{property.Name}' is not in {match.Id}'s request schema (has: {string.Join(", ", allowed)})");
                }
            }
        }
        Assert.True(problems.Count == 0, string.Join("\n", problems));
        Assert.True(used.Count >= 15, $"the commands covered only {used.Count} operations: {string.Join(", ", used)}");
    }

    private sealed record Operation(string Id, HttpMethod Method, Regex Path, HashSet<string> Query, HashSet<string>? BodyProperties);

    private static List<Operation> Operations(JsonElement document)
    {
        var list = new List<Operation>();
        foreach (var path in document.GetProperty("paths").EnumerateObject())
        {
            var pattern = new Regex("^" + Regex.Replace(Regex.Escape(path.Name), @"\\\{[^}]+}", "[^/]+") + "$");
            foreach (var op in path.Value.EnumerateObject().Where(o => o.Name is "get" or "post" or "put" or "patch" or "delete"))
            {
                var query = new HashSet<string>(StringComparer.Ordinal);
                if (op.Value.TryGetProperty("parameters", out var parameters))
                {
                    foreach (var p in parameters.EnumerateArray().Select(p => Resolve(document, p)).Where(p => p.GetProperty("in").GetString() == "query"))
                    {
                        query.Add(p.GetProperty("name").GetString()!);
                    }
                }
                HashSet<string>? body = null;
                if (op.Value.TryGetProperty("requestBody", out var requestBody)
                    && Resolve(document, requestBody).GetProperty("content") is var content
                    && content.TryGetProperty("application/json", out var json) && json.TryGetProperty("schema", out var schema)
                    && Resolve(document, schema).TryGetProperty("properties", out var properties))
                {
                    body = [.. properties.EnumerateObject().Select(p => p.Name)];
                }
                var id = op.Value.TryGetProperty("operationId", out var opId) ? opId.GetString()! : $"{op.Name} {path.Name}";
                list.Add(new Operation(id, new HttpMethod(op.Name.ToUpperInvariant()), pattern, query, body));
            }
        }
        return list;
    }

    private static JsonElement Resolve(JsonElement document, JsonElement element)
    {
        while (element.TryGetProperty("$ref", out var reference))
        {
            var at = document;
            foreach (var part in reference.GetString()!.TrimStart('#', '/').Split('/'))
            {
                at = at.GetProperty(part);
            }
            element = at;
        }
        return element;
    }

    /// <summary>What the in-process HTTP clients send to one base address, from the runtime's HTTP diagnostics.</summary>
    private sealed class RequestRecorder : IObserver<DiagnosticListener>, IObserver<KeyValuePair<string, object?>>, IDisposable
    {
        private readonly string _base;
        private readonly List<IDisposable> _subscriptions = [];
        private readonly List<Recorded> _requests = [];

        public sealed record Recorded(HttpMethod Method, Uri Uri, JsonElement? Body);

        public RequestRecorder(string baseUrl)
        {
            _base = baseUrl;
            _subscriptions.Add(DiagnosticListener.AllListeners.Subscribe(this));
        }

        public List<Recorded> Requests
        {
            get
            {
                lock (_requests)
                {
                    return [.. _requests];
                }
            }
        }

        public void OnNext(DiagnosticListener value)
        {
            if (value.Name == "HttpHandlerDiagnosticListener")
            {
                lock (_subscriptions)
                {
                    _subscriptions.Add(value.Subscribe(this, name => name is "System.Net.Http.Request" or "System.Net.Http.HttpRequestOut" or "System.Net.Http.HttpRequestOut.Start"));
                }
            }
        }

        public void OnNext(KeyValuePair<string, object?> value)
        {
            if (value.Key != "System.Net.Http.Request"
                || value.Value?.GetType().GetProperty("Request")?.GetValue(value.Value) is not HttpRequestMessage request
                || request.RequestUri is not { } uri || !uri.ToString().StartsWith(_base, StringComparison.Ordinal))
            {
                return;
            }
            JsonElement? body = null;
            if (request.Content is { } content)
            {
                var text = content.ReadAsStringAsync().GetAwaiter().GetResult();
                if (text.Length > 0)
                {
                    body = JsonDocument.Parse(text).RootElement.Clone();
                }
            }
            lock (_requests)
            {
                _requests.Add(new Recorded(request.Method, uri, body));
            }
        }

        public void OnCompleted()
        {
        }

        public void OnError(Exception error)
        {
        }

        public void Dispose()
        {
            lock (_subscriptions)
            {
                _subscriptions.ForEach(s => s.Dispose());
            }
        }
    }
}
