using Serai.Config;

namespace Serai.Slurm.Tests.Unit;

public sealed class SlurmConfigTests
{
    private static string TestHub => File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Data", "two-slurm-sites.yaml"));

    [Fact]
    public void The_two_site_test_hub_loads_with_slurm_settings_beside_the_hub()
    {
        var result = HubConfigLoader.Load(TestHub, "two-slurm-sites.yaml");
        Assert.True(result.Ok, string.Join('\n', result.Errors));
        var kz = Assert.IsType<SlurmSiteSettings>(result.Backends["kz"]);
        Assert.Equal(("kz", "gpu", "h100", 0.5, true), (kz.Cluster, kz.Pools["h100"].Partition, kz.Pools["h100"].GresType, kz.PollSeconds, kz.AccountingFromJobComp));
        Assert.Equal(["kz-n1", "kz-n2"], kz.Pools["h100"].NodeNames);
        Assert.Equal("ministry", kz.Accounts["kz-gov"]);
        Assert.Equal("floods", kz.Wckeys["kz-gov"]);
        Assert.Equal(2, result.Backends.Count);
        Assert.Equal(8, kz.Pools["h100"].LookAheadGpus); // by default as many GPUs as the pool has
    }

    [Theory]
    [InlineData(0)]
    [InlineData(3)]
    [InlineData(32)]
    public void A_pools_look_ahead_may_be_set_from_zero_which_turns_it_off_to_four_times_its_gpus(int gpus)
    {
        var result = HubConfigLoader.Load(ReplaceFirst(TestHub, "nodes: [kz-n1, kz-n2]}", $"nodes: [kz-n1, kz-n2], lookAheadGpus: {gpus}}}"), "hub.yaml");
        Assert.True(result.Ok, string.Join('\n', result.Errors));
        Assert.Equal(gpus, ((SlurmSiteSettings)result.Backends["kz"]).Pools["h100"].LookAheadGpus);
    }

    [Theory]
    [InlineData("backend: slurm", "backend: pbs", "sites[0].backend", "pbs", "local")]
    [InlineData("cluster: kz", "cluster: 'kz; rm -rf /'", "sites[0].slurm.cluster", "kz; rm -rf /", "a Slurm name")]
    [InlineData("h100: {partition: gpu, gresType: h100, nodes: [kz-n1, kz-n2]}", "a100: {partition: gpu}", "sites[0].slurm.pools.a100", "a100", "a pool of this site: h100")]
    [InlineData("accounts: {kz-gov: ministry}", "accounts: {nobody: ministry}", "sites[0].slurm.accounts.nobody", "nobody", "a tenant of this hub")]
    [InlineData("pollSeconds: 0.5\n      accounting: jobcomp", "pollSeconds: 900\n      accounting: jobcomp", "sites[0].slurm.pollSeconds", "900", "at most 300")]
    [InlineData("      slurmConf: /var/lib/serai-slurm/kz/slurm.conf\n", "      ssh: '-oProxyCommand=x'\n", "sites[0].slurm.ssh", "-oProxyCommand=x", "user@host")]
    [InlineData("outputDirectory: /var/lib/serai-slurm/kz/out", "outputDirectory: out", "sites[0].slurm.outputDirectory", "out", "absolute path")]
    [InlineData("nodes: [kz-n1, kz-n2]}", "nodes: [kz-n1, kz-n2], lookAheadGpus: 33}", "sites[0].slurm.pools.h100.lookAheadGpus", "33", "from 0 (off) to 32 (four times the pool's 8 GPUs)")]
    [InlineData("nodes: [kz-n1, kz-n2]}", "nodes: [kz-n1, kz-n2], lookAheadGpus: -1}", "sites[0].slurm.pools.h100.lookAheadGpus", "-1", "from 0 (off) to 32")]
    public void Bad_slurm_settings_are_errors_with_file_line_field_value_and_what_is_allowed(string from, string to, string field, string value, string allowed)
    {
        var text = ReplaceFirst(TestHub, from, to);
        var result = HubConfigLoader.Load(text, "hub.yaml");
        Assert.False(result.Ok);
        var error = Assert.Single(result.Errors, e => e.Field == field);
        Assert.Equal(value, error.Value);
        Assert.Contains(allowed, error.Allowed, StringComparison.Ordinal);
        Assert.Equal("hub.yaml", error.File);
        Assert.True(error.Line > 0);
    }

    [Fact]
    public void A_slurm_site_needs_a_slurm_mapping_and_a_partition_for_every_pool()
    {
        var noMapping = HubConfigLoader.Load(TestHub.Replace("    slurm:\n      cluster: kz", "    slurx:\n      cluster: kz", StringComparison.Ordinal), "hub.yaml");
        Assert.Contains(noMapping.Errors, e => e.Field == "sites[0].slurm" && e.Value == "(missing)");
        var noPool = HubConfigLoader.Load(ReplaceFirst(TestHub, "h100: {partition: gpu, gresType: h100, nodes: [kz-n1, kz-n2]}", "{}"), "hub.yaml");
        Assert.Contains(noPool.Errors, e => e.Field.StartsWith("sites[0].slurm.pools", StringComparison.Ordinal));
    }

    private static string ReplaceFirst(string text, string from, string to)
    {
        var at = text.IndexOf(from, StringComparison.Ordinal);
        Assert.True(at >= 0, $"'{from}' not in the test hub");
        return text[..at] + to + text[(at + from.Length)..];
    }
}
