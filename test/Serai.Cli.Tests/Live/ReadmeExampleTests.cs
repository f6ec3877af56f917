using System.Text.RegularExpressions;
using Serai.Cli.Commands;
using Xunit.Abstractions;

namespace Serai.Cli.Tests.Live;

/// <summary>
/// The README's `serai` examples work as written: every one parses (its commands and options exist), and every one
/// that does not start a server, run a benchmark or need a GPU runs against a live hub and exits 0. Placeholders (ID,
/// TOKEN-ID, NAME, the example job 41, the directory /data/run1) stand for things of this hub.
/// </summary>
[Collection(LiveHubCollection.Name)]
public sealed partial class ReadmeExampleTests(LiveHub hub, ITestOutputHelper log)
{
    // Parsed but not run here: the server itself (LiveHub runs one), and the benchmarks, which take minutes each and
    // whose figures are the README's measured table.
    private static readonly string[] ParseOnly = ["serve", "bench"];

    [Fact]
    public void The_readme_has_examples_and_every_one_parses()
    {
        var examples = Examples();
        Assert.True(examples.Count >= 30, $"only {examples.Count} examples found in the README");
        foreach (var (line, words) in examples)
        {
            var args = Placeholders(words, new Dictionary<string, string> { ["ID"] = "7", ["TOKEN-ID"] = "3", ["NAME"] = "hub", ["/data/run1"] = "/tmp", ["FILE"] = "hub.yaml" });
            var parse = SeraiCommand.Create().Parse(args);
            Assert.True(parse.Errors.Count == 0, $"README line {line}: serai {string.Join(' ', args)}: {string.Join("; ", parse.Errors.Select(e => e.Message))}");
        }
    }

    [Fact]
    public async Task Every_readme_example_that_needs_no_gpu_server_or_benchmark_runs_against_a_live_hub()
    {
        var work = hub.NewWorkDirectory();
        File.WriteAllText(Path.Combine(work, "train.sh"), "#!/bin/sh\n#SERAI --gpus 8 --time 2:00:00\necho training\n");
        File.WriteAllText(Path.Combine(work, "eval.sh"), "#!/bin/sh\necho evaluating\n");
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(Path.Combine(work, "train.sh"), (UnixFileMode)0x1ED); // 0755: the tenant's account runs them
            File.SetUnixFileMode(Path.Combine(work, "eval.sh"), (UnixFileMode)0x1ED);
        }
        var finished = hub.Submit("--gpus", "1", "--", "sh", "-c", "echo done");
        await LiveHub.WaitUntilAsync(() => hub.State(finished) is "succeeded" or "failed", TimeSpan.FromSeconds(60), $"job {finished} ended");
        var running = hub.Submit("--gpus", "1", "--", "sleep", "600");
        var toCancel = hub.Submit("--gpus", "1", "--", "sleep", "600");
        var waiting = hub.Submit("--gpus", "1", "--dependency", $"afterany:{running}", "--", "true");
        var token = hub.Json("token", "create", "--tenant", "demo", "--label", "readme").GetProperty("id").ToString();
        var profile = Path.Combine(hub.Directory, "server-config");
        var profileName = System.Text.Json.JsonDocument.Parse(File.ReadAllText(Path.Combine(profile, "serai", "config.json"))).RootElement.GetProperty("current").GetString()!;

        var (oldDirectory, oldConfig) = (Environment.CurrentDirectory, Environment.GetEnvironmentVariable("XDG_CONFIG_HOME"));
        Environment.CurrentDirectory = work; // `serai submit` runs the job where it was called from
        Environment.SetEnvironmentVariable("XDG_CONFIG_HOME", profile); // the profiles the server's first start wrote
        try
        {
            var ran = 0;
            foreach (var (line, words) in Examples())
            {
                if (ParseOnly.Contains(words[0]) || Skip(words) is { } why && Note(line, why))
                {
                    continue;
                }
                var id = words.Contains("cancel") ? toCancel : words.Any(w => w is "hold" or "release" or "update") ? waiting : finished;
                var args = Placeholders(words, new Dictionary<string, string>
                {
                    ["ID"] = id, ["TOKEN-ID"] = token, ["NAME"] = profileName, ["41"] = finished, ["/data/run1"] = work,
                    ["hubs/central-asia.yaml"] = CliRun.Repo("hubs", "central-asia.yaml"),
                    ["FILE"] = CliRun.Repo("hubs", "local.yaml"),
                    ["../shared/data/traces/itp"] = CliRun.Repo("..", "shared", "data", "traces", "itp"),
                    ["out/itp"] = Path.Combine(work, "out-itp"),
                });
                if (args[0] == "ai-systems" && args.Length > 1 && args[1] is "register" or "approve")
                {
                    args[2] = "readme-chat";
                    if (args[1] == "register")
                    {
                        args = [.. args, "--owner", "demo"]; // the admin registers for a tenant
                    }
                }
                var clock = System.Diagnostics.Stopwatch.StartNew();
                var (code, output, error) = words[0] is "simulate" or "hub" or "config" ? CliRun.Invoke(args) : hub.Cli(args);
                log.WriteLine($"README line {line}: serai {string.Join(' ', args)}: exit {code} in {clock.Elapsed.TotalSeconds:F1} s");
                Assert.True(code == 0, $"README line {line}: serai {string.Join(' ', args)}: exit {code}\n{error}\n{output}");
                ran++;
            }
            Assert.True(ran >= 30, $"only {ran} examples ran");
        }
        finally
        {
            Environment.CurrentDirectory = oldDirectory;
            Environment.SetEnvironmentVariable("XDG_CONFIG_HOME", oldConfig);
            hub.Cli("cancel", running);
            hub.Cli("cancel", toCancel);
        }
    }

    /// <summary>Why an example is not run here, or null.</summary>
    private static string? Skip(IReadOnlyList<string> words)
    {
        if (words.Contains("../shared/data/traces/itp") && !Directory.Exists(CliRun.Repo("..", "shared", "data", "traces", "itp")))
        {
            return "the ITP trace is not beside this checkout";
        }
        var compare = words.SkipWhile(w => w != "--compare").Skip(1).FirstOrDefault();
        return compare is not null && compare.Contains(',', StringComparison.Ordinal)
            ? $"a comparison of {compare.Split(',').Length + 1} policies over a whole trace takes minutes; its figures are the README's table (the one-policy comparison above runs)"
            : null;
    }

    private bool Note(int line, string why)
    {
        log.WriteLine($"README line {line} parsed, not run: {why}");
        return true;
    }

    /// <summary>The README's `serai` examples: each alternative of each line in its code blocks, as words after `serai`.</summary>
    internal static List<(int Line, string[] Words)> Examples()
    {
        var lines = File.ReadAllLines(CliRun.Repo("README.md"));
        var examples = new List<(int, string[])>();
        var inBlock = false;
        for (var i = 0; i < lines.Length; i++)
        {
            if (lines[i].StartsWith("```", StringComparison.Ordinal))
            {
                inBlock = !inBlock;
                continue;
            }
            if (!inBlock || !lines[i].StartsWith("serai ", StringComparison.Ordinal))
            {
                continue;
            }
            var text = Comment().Replace(lines[i], "");
            while (text.EndsWith('\\') && i + 1 < lines.Length)
            {
                text = text[..^1] + " " + Comment().Replace(lines[++i].Trim(), "");
            }
            text = Redirect().Replace(Optional().Replace(text, ""), "");
            string[] previous = [];
            foreach (var part in text.Split([" | ", ";  "], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                var words = part.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(w => w.EndsWith("...", StringComparison.Ordinal) ? w[..^3] : w).ToArray();
                // "serai ai-systems list | register ID ..." and "serai bench scheduler | simulator": the rest share the command
                words = words[0] == "serai" ? words[1..] : [.. previous[..^1], .. words];
                previous = words.TakeWhile(w => !w.StartsWith('-') && w != "ID").Take(2).ToArray();
                if (previous.Length < 2)
                {
                    previous = [.. previous, ""];
                }
                examples.Add((i + 1, words));
            }
        }
        return examples;
    }

    private static string[] Placeholders(IEnumerable<string> words, Dictionary<string, string> values) =>
        [.. words.Select(w => values.TryGetValue(w, out var v) ? v
            : w.StartsWith("afterok:", StringComparison.Ordinal) && values.TryGetValue(w["afterok:".Length..], out var job) ? "afterok:" + job
            : w)];

    [GeneratedRegex(@"\s+#\s.*$")]
    private static partial Regex Comment();

    [GeneratedRegex(@"\s*\[[^\]]*\]")]
    private static partial Regex Optional();

    [GeneratedRegex(@"\s*>\s*\S+")]
    private static partial Regex Redirect();
}
