namespace Serai.Server.Tests.Operations;

/// <summary>`serai site|pool|node|operations` against a real `serai serve`: each action prints the sentence the audit trail keeps.</summary>
public sealed class OperationsCliTests
{
    [Fact]
    public async Task Operators_feed_override_drain_and_list_with_the_cli_and_sites_show_where_figures_come_from()
    {
        var directory = TestDatabases.NewDirectory();
        using var serve = await ServeProcess.StartAsync(directory, ServeProcess.FreePort());
        try
        {
            var fed = await serve.CliAsync("site", "feed", "local", "--temperature", "33.5", "--it-kw", "2");
            Assert.True(fed.Code == 0, fed.Stderr);
            Assert.Equal("local: temperature measured, IT power measured, facility power modelled", fed.Stdout.Trim());
            var sites = await serve.CliAsync("sites");
            Assert.Contains("measured / measured / modelled", sites.Stdout, StringComparison.Ordinal);
            Assert.Contains("33.5", sites.Stdout, StringComparison.Ordinal);

            var drained = await serve.CliAsync("pool", "drain", "local/gpu", "--mode", "requeue", "--reason", "PDU swap", "--by", "ayse");
            Assert.True(drained.Code == 0, drained.Stderr);
            Assert.Equal("pool:local/gpu drained (running jobs requeued), by ayse (admin token): PDU swap", drained.Stdout.Trim());
            var node = await serve.CliAsync("node", "drain", "local/gpu/0", "--reason", "bad DIMM", "--by", "ayse");
            Assert.Equal("node:local/gpu/0 drained (running jobs finish), by ayse (admin token): bad DIMM", node.Stdout.Trim());
            var heat = await serve.CliAsync("site", "override", "local", "--temperature", "40", "--grid", "1.5", "--for", "2h", "--reason", "heat wave", "--by", "ayse");
            Assert.True(heat.Code == 0, heat.Stderr);
            Assert.StartsWith("override of site:local: outdoor 40 °C, grid 1.5 MW until ", heat.Stdout.Trim(), StringComparison.Ordinal);

            var listed = await serve.CliAsync("operations");
            Assert.Contains("pool:local/gpu", listed.Stdout, StringComparison.Ordinal);
            Assert.Contains("node:local/gpu/0", listed.Stdout, StringComparison.Ordinal);
            Assert.Contains("outdoor 40 °C, grid 1.5 MW until", listed.Stdout, StringComparison.Ordinal);
            Assert.Contains("heat wave", listed.Stdout, StringComparison.Ordinal);
            Assert.Contains("override / measured / modelled", (await serve.CliAsync("sites")).Stdout, StringComparison.Ordinal);

            var badDuration = await serve.CliAsync("site", "override", "local", "--temperature", "40", "--for", "2x", "--reason", "r");
            Assert.Equal(2, badDuration.Code);
            Assert.Contains("--for '2x' is not a duration", badDuration.Stderr, StringComparison.Ordinal);
            var badTarget = await serve.CliAsync("node", "drain", "local/gpu", "--reason", "r");
            Assert.Equal(2, badTarget.Code);
            var dry = await serve.CliAsync("site", "curtail", "local", "--to", "0.0005", "--for", "1h", "--dry-run");
            Assert.True(dry.Code == 0, dry.Stderr);
            Assert.Contains("MW planned against a target of 0.001 MW", dry.Stdout, StringComparison.Ordinal);
            Assert.Contains("GPU-hours lost", dry.Stdout, StringComparison.Ordinal);
            var missingReason = await serve.CliAsync("site", "curtail", "local", "--to", "0.5", "--for", "1h");
            Assert.Equal(1, missingReason.Code);
            Assert.Contains("reason: is required", missingReason.Stderr, StringComparison.Ordinal);

            var curtailed = await serve.CliAsync("site", "curtail", "local", "--to", "0.5", "--for", "1h", "--reason", "grid request 7", "--by", "ayse");
            Assert.True(curtailed.Code == 0, curtailed.Stderr);
            var curtailments = await serve.CliAsync("site", "curtailments");
            Assert.True(curtailments.Code == 0, curtailments.Stderr);
            Assert.Contains("grid request 7", curtailments.Stdout, StringComparison.Ordinal);

            var resumed = await serve.CliAsync("pool", "resume", "local/gpu", "--reason", "PDU back", "--by", "ayse");
            Assert.Equal("pool:local/gpu resumed, by ayse (admin token): PDU back", resumed.Stdout.Trim());
        }
        finally
        {
            TestDatabases.Remove(directory);
        }
    }
}
