using System.Diagnostics;
using System.Text.Json;
using Serai.Cli.Client;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Serai.Cli.Tests;

/// <summary>`-o yaml` writes the same data as `--json`; `serai completion` completes commands, options and values.</summary>
public sealed class OutputFormatTests
{
    [Fact]
    public void Yaml_output_reads_back_as_the_same_data()
    {
        const string json = """
            {"id": 42, "name": "train: \"big\" #1\nnext line", "tenant": "ministry-ÜЖ", "ratio": -1.5e-3, "held": false,
             "site": null, "gpus": [0, 1], "empty": [], "none": {}, "nodes": [{"label": "n1", "gpus": [2]}, []],
             "1st": "yes", "tab\tkey": "\u0001", "emoji": "😀", "number-like": "007", "bool-like": "true"}
            """;
        using var document = JsonDocument.Parse(json);
        var yaml = YamlText.Write(document.RootElement);
        var stream = new YamlStream();
        stream.Load(new StringReader(yaml));
        Same(document.RootElement, stream.Documents[0].RootNode, "$");
    }

    [Fact]
    public void A_scalar_or_empty_answer_is_one_line() =>
        Assert.Equal(("[]\n", "\"x\"\n"), (YamlText.Write(JsonDocument.Parse("[]").RootElement), YamlText.Write(JsonDocument.Parse("\"x\"").RootElement)));

    [Fact]
    public void Yaml_is_an_output_format_of_every_client_command()
    {
        var (code, _, error) = CliRun.Invoke("jobs", "-o", "xml");
        Assert.Equal(1, code); // parse error: System.CommandLine names the allowed values
        Assert.Contains("yaml", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Completion_scripts_are_printed_for_bash_and_zsh_and_nothing_else()
    {
        Assert.Contains("complete -o default -F _serai_complete serai", CliRun.Invoke("completion", "bash").Out, StringComparison.Ordinal);
        Assert.Contains("compdef _serai_complete serai", CliRun.Invoke("completion", "zsh").Out, StringComparison.Ordinal);
        Assert.NotEqual(0, CliRun.Invoke("completion", "fish").ExitCode);
    }

    [Fact]
    public void Bash_completes_commands_options_and_option_values_by_asking_serai()
    {
        var serai = Path.Combine(AppContext.BaseDirectory, "serai");
        var bin = Path.Combine(Path.GetTempPath(), "serai-completion-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(bin);
        try
        {
            File.CreateSymbolicLink(Path.Combine(bin, "serai"), serai);
            Assert.Equal("submit", Complete(bin, "serai su"));
            Assert.Equal("--chdir --checkpointable", Complete(bin, "serai submit --ch"));
            Assert.Equal("yaml", Complete(bin, "serai jobs -o y"));
        }
        finally
        {
            Directory.Delete(bin, recursive: true);
        }
    }

    private static string Complete(string bin, string line)
    {
        var words = line.Split(' ');
        var script = $$"""
            source <(serai completion bash)
            COMP_LINE='{{line}}'; COMP_POINT={{line.Length}}; COMP_WORDS=({{string.Join(' ', words.Select(w => $"'{w}'"))}}); COMP_CWORD={{words.Length - 1}}
            _serai_complete
            echo "${COMPREPLY[*]}"
            """;
        var start = new ProcessStartInfo("bash", ["-c", script]) { RedirectStandardOutput = true, RedirectStandardError = true };
        start.Environment["PATH"] = bin + ":" + Environment.GetEnvironmentVariable("PATH");
        using var bash = Process.Start(start)!;
        var output = bash.StandardOutput.ReadToEnd();
        Assert.True(bash.WaitForExit(60_000), "bash did not finish");
        return output.Trim();
    }

    private static void Same(JsonElement json, YamlNode yaml, string path)
    {
        switch (json.ValueKind)
        {
            case JsonValueKind.Object:
                var mapping = Assert.IsType<YamlMappingNode>(yaml);
                Assert.Equal(json.EnumerateObject().Count(), mapping.Children.Count);
                foreach (var property in json.EnumerateObject())
                {
                    Same(property.Value, mapping.Children[new YamlScalarNode(property.Name)], $"{path}.{property.Name}");
                }
                break;
            case JsonValueKind.Array:
                var sequence = Assert.IsType<YamlSequenceNode>(yaml);
                Assert.Equal(json.GetArrayLength(), sequence.Children.Count);
                var i = 0;
                foreach (var item in json.EnumerateArray())
                {
                    Same(item, sequence.Children[i], $"{path}[{i++}]");
                }
                break;
            case JsonValueKind.String:
                var text = Assert.IsType<YamlScalarNode>(yaml);
                Assert.True(text.Style == ScalarStyle.DoubleQuoted, $"{path}: a string is not quoted");
                Assert.Equal(json.GetString(), text.Value);
                break;
            default:
                var scalar = Assert.IsType<YamlScalarNode>(yaml);
                Assert.True(scalar.Style == ScalarStyle.Plain, $"{path}: {scalar.Value} is quoted");
                Assert.Equal(json.ValueKind == JsonValueKind.Null ? "null" : json.GetRawText(), scalar.Value);
                break;
        }
    }
}
