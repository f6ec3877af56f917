using System.Text.Json;
using System.Text.RegularExpressions;

namespace Serai.Cli.Tests.Live;

/// <summary>
/// The native `serai` (Native AOT) against a live server: it runs the client commands itself (no JIT, no reflection:
/// what trimming dropped would show here) and hands every other command to the full CLI.
/// </summary>
[Collection(LiveHubCollection.Name)]
public sealed class NativeClientTests(LiveHub hub, NativeClient native) : IClassFixture<NativeClient>
{
    private Dictionary<string, string?> Environment(string? fullCli = null) => new()
    {
        ["SERAI_URL"] = hub.Url,
        ["SERAI_TOKEN"] = LiveHub.AdminToken,
        ["XDG_CONFIG_HOME"] = Path.Combine(hub.Directory, "native-config"),
        ["COLUMNS"] = "200",
        ["SERAI_FULL_CLI"] = fullCli ?? Path.Combine(hub.Directory, "no-full-cli"),
        ["DEMO_FROM_CALLER"] = "7",
    };

    [Fact]
    public void The_native_client_submits_with_directives_and_exports_lists_shows_and_cancels_jobs()
    {
        var work = hub.NewWorkDirectory();
        var script = Path.Combine(work, "job.sh");
        File.WriteAllText(script, "#!/bin/sh\n#SERAI --gpus 1 --time 5:00 --job-name native-directive\nsleep 30\n");
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(script, (UnixFileMode)0x1ED);
        }
        var env = Environment();

        var (code, output, error) = native.Run(env, "submit", "--hold", "--chdir", work, "--export", "NONE,DEMO=1,DEMO_FROM_CALLER", "--", script);
        Assert.True(code == 0, $"native serai submit: exit {code}: {error}");
        var id = Regex.Match(output, @"^Submitted job (\d+)$", RegexOptions.Multiline).Groups[1].Value;
        Assert.NotEmpty(id);
        var job = hub.Job(id);
        Assert.Equal("native-directive", job.GetProperty("name").GetString());
        Assert.Equal(300, job.GetProperty("timeLimitSeconds").GetInt64());
        Assert.True(job.GetProperty("held").GetBoolean());
        Assert.Equal(["DEMO", "DEMO_FROM_CALLER"], job.GetProperty("environmentNames").EnumerateArray().Select(n => n.GetString()!).Order(StringComparer.Ordinal));

        (code, output, error) = native.Run(env, "jobs", "--name", "native-directive", "-o", "wide");
        Assert.True(code == 0, error);
        Assert.Contains("native-directive", output, StringComparison.Ordinal);
        Assert.Contains("TIME LIMIT", output, StringComparison.Ordinal);
        Assert.Contains("00:05:00", output, StringComparison.Ordinal);

        (code, output, error) = native.Run(env, "jobs", "--name", "native-directive", "--json");
        Assert.True(code == 0, error);
        Assert.Equal(id, JsonDocument.Parse(output).RootElement.GetProperty("items")[0].GetProperty("id").GetRawText());
        (code, output, _) = native.Run(env, "job", id, "-o", "yaml");
        Assert.Equal(0, code);
        Assert.Contains($"id: {id}", output, StringComparison.Ordinal);

        (code, output, error) = native.Run(env, "cancel", id);
        Assert.True(code == 0, error);
        Assert.Equal($"job {id} cancelled", output.Trim());
    }

    [Fact]
    public async Task Every_request_the_native_client_sends_is_an_operation_of_the_OpenAPI_document_with_declared_parameters_and_body_properties()
    {
        using var proxy = new ForwardingProxy(hub.Url);
        var env = Environment();
        env["SERAI_URL"] = proxy.Url;
        await ApiContractTests.CheckAsync(hub, args => native.Run(env, args));
    }

    [Fact]
    public void Unknown_options_stay_errors_that_name_them_without_the_full_CLI()
    {
        var (code, _, error) = native.Run(Environment(), "submit", "--gpus", "1", "--bogus", "--", "true");
        Assert.Equal(2, code);
        Assert.Contains("unknown option '--bogus'", error, StringComparison.Ordinal);
        (code, _, error) = native.Run(Environment(), "jobs", "--frobnicate");
        Assert.NotEqual(0, code);
        Assert.Contains("'--frobnicate'", error, StringComparison.Ordinal);
        Assert.DoesNotContain("full serai CLI", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Commands_the_native_client_does_not_own_go_to_the_full_CLI_with_their_arguments_output_and_exit_code()
    {
        var env = Environment(NativeClient.FullCli);
        var (code, output, error) = native.Run(env, "hub", "check", CliRun.Repo("hubs", "local.yaml"));
        Assert.True(code == 0, error);
        Assert.StartsWith("ok: local:", output, StringComparison.Ordinal);
        (code, _, error) = native.Run(env, "hub", "check", Path.Combine(hub.Directory, "missing.yaml"));
        Assert.Equal(2, code);
        Assert.Contains("missing.yaml", error, StringComparison.Ordinal);
        (code, output, _) = native.Run(env, "--help");
        Assert.Equal(0, code);
        Assert.Contains("serve", output, StringComparison.Ordinal);
        Assert.Contains("simulate", output, StringComparison.Ordinal);
        (code, _, error) = native.Run(env, "no-such-command");
        Assert.NotEqual(0, code);
        Assert.Contains("'no-such-command'", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Completion_of_a_client_command_is_answered_by_the_native_client_itself()
    {
        var (code, output, error) = native.Run(Environment(), "[suggest:15]", "serai jobs -o y");
        Assert.True(code == 0, error);
        Assert.Contains("yaml", output.Split('\n', StringSplitOptions.TrimEntries));
        (code, output, error) = native.Run(Environment(), "[suggest:8]", "serai su");
        Assert.Equal(2, code);
        Assert.Contains("needs the full serai CLI", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Without_the_full_CLI_a_command_it_does_not_own_says_where_it_looked()
    {
        var (code, _, error) = native.Run(Environment(), "serve", "--help");
        Assert.Equal(2, code);
        Assert.Contains("`serai serve` needs the full serai CLI", error, StringComparison.Ordinal);
        Assert.Contains("SERAI_FULL_CLI", error, StringComparison.Ordinal);
    }
}
