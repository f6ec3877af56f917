using System.Text.Json;

namespace Serai.Cli.Tests;

public class HubCommandTests
{
    private static readonly string CentralAsia = CliRun.Repo("hubs", "central-asia.yaml");
    private static readonly string FiveMistakes = CliRun.Repo("test", "Serai.Config.Tests", "Data", "five-mistakes.yaml");

    [Fact]
    public void Check_of_a_valid_hub_prints_ok_and_a_summary_and_exits_0()
    {
        var (code, output, error) = CliRun.Invoke("hub", "check", CentralAsia);

        Assert.Equal(0, code);
        Assert.StartsWith("ok: central-asia: 6 sites in 4 countries, 28,016 GPUs", output, StringComparison.Ordinal);
        Assert.Equal("", error);
    }

    [Fact]
    public void Check_of_the_five_mistakes_file_prints_five_located_messages_and_exits_1()
    {
        var (code, _, error) = CliRun.Invoke("hub", "check", FiveMistakes);

        Assert.Equal(1, code);
        var messages = error.Split('\n', StringSplitOptions.RemoveEmptyEntries).Where(l => l.Contains(" — allowed: ", StringComparison.Ordinal)).ToArray();
        Assert.Equal(5, messages.Length);
        Assert.All(messages, m => Assert.Matches(@"^.+five-mistakes\.yaml:\d+:\d+: \S+: .+ — allowed: .+$", m));
        Assert.Contains("sites[0].pools[0].gpusPerNode: 80 — allowed: an integer from 1 to 64", error, StringComparison.Ordinal);
        Assert.Contains("5 errors", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Check_of_a_missing_file_exits_2()
    {
        var (code, _, error) = CliRun.Invoke("hub", "check", "/nonexistent/hub.yaml");

        Assert.Equal(2, code);
        Assert.Contains("no such file", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Show_json_prints_one_object_with_sites_fleet_tenants_datasets_and_AI_systems()
    {
        var (code, output, _) = CliRun.Invoke("hub", "show", CentralAsia, "--json");

        Assert.Equal(0, code);
        using var json = JsonDocument.Parse(output);
        var root = json.RootElement;
        Assert.Equal("central-asia", root.GetProperty("name").GetString());
        Assert.Equal(28_016, root.GetProperty("totalGpus").GetInt32());
        var termez = root.GetProperty("sites").EnumerateArray().Single(s => s.GetProperty("name").GetString() == "uz-termez");
        Assert.True(termez.GetProperty("pueMax").GetDouble() > termez.GetProperty("pueMin").GetDouble());
        Assert.Equal("UZ", termez.GetProperty("country").GetString());
        Assert.Contains(root.GetProperty("fleet").EnumerateArray(), f => f.GetProperty("model").GetString() == "Ascend-910B" && f.GetProperty("vendor").GetString() == "Huawei");
        var mchs = root.GetProperty("tenants").EnumerateArray().Single(t => t.GetProperty("name").GetString() == "kz-emergencies");
        Assert.Equal(128, mchs.GetProperty("guaranteedGpus").GetProperty("H200").GetInt32());
        Assert.Equal(6, root.GetProperty("datasets").GetArrayLength());
        Assert.Equal(5, root.GetProperty("aiSystems").GetArrayLength());
    }

    [Fact]
    public void Show_prints_tables_with_every_site_and_tenant()
    {
        var (code, output, _) = CliRun.Invoke("hub", "show", CentralAsia);

        Assert.Equal(0, code);
        foreach (var name in new[] { "kz-astana", "uz-termez", "kg-bishkek", "kazllm", "eu-partner", "kz-citizens", "flood-early-warning", "PUE min–max" })
        {
            Assert.Contains(name, output, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Show_of_a_broken_file_prints_the_errors_and_exits_1()
    {
        var (code, output, error) = CliRun.Invoke("hub", "show", FiveMistakes, "--json");

        Assert.Equal(1, code);
        Assert.Equal("", output);
        Assert.Contains("datasets[0].homeSite: kz-almaty", error, StringComparison.Ordinal);
    }
}
