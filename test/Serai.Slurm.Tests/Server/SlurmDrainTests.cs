using System.Net;
using System.Text;
using Serai.Slurm.Tests.Live;

namespace Serai.Slurm.Tests.Server;

/// <summary>An operator's drain of a node or a pool on a Slurm site reaches Slurm (scontrol update state=drain), and its resume too.</summary>
[Collection(SerialSlurm.Name)]
public sealed class SlurmDrainTests
{
    private static async Task<string> NodeAsync(string node) =>
        (await LiveClusters.Slurm("uz", "sinfo", "-h", "-n", node, "-o", "%t|%E")).Stdout.Trim();

    private static Task<HttpResponseMessage> PostAsync(HttpClient client, string path, string json) =>
        client.PostAsync(path, new StringContent(json, Encoding.UTF8, "application/json"));

    [Fact]
    public async Task A_pool_drained_through_the_server_is_drained_in_slurm_with_who_and_why_and_resumed()
    {
        if (!LiveClusters.Available())
        {
            return;
        }
        using var server = await new SlurmServer().StartAsync();
        var admin = server.Client(SlurmServer.AdminToken);
        try
        {
            var drained = await PostAsync(admin, "/api/v1/sites/uz/pools/h100/drain", """{"reason": "cooling loop repair", "by": "ayse"}""");
            Assert.Equal(HttpStatusCode.OK, drained.StatusCode);
            foreach (var node in (string[])["uz-n1", "uz-n2"])
            {
                await LiveClusters.WaitUntilAsync(async () => (await NodeAsync(node)).StartsWith("drain", StringComparison.Ordinal) || (await NodeAsync(node)).StartsWith("drng", StringComparison.Ordinal),
                    15, $"{node} drained in Slurm (drain, or drng while a job still ends on it)");
                Assert.Contains("serai: cooling loop repair (by ayse (admin token))", await NodeAsync(node), StringComparison.Ordinal);
            }
            var resumed = await PostAsync(admin, "/api/v1/sites/uz/pools/h100/resume", """{"reason": "repaired"}""");
            Assert.Equal(HttpStatusCode.OK, resumed.StatusCode);
            foreach (var node in (string[])["uz-n1", "uz-n2"])
            {
                await LiveClusters.WaitUntilAsync(async () => (await NodeAsync(node)).Split('|')[0] is "idle" or "mix" or "alloc", 30, $"{node} usable again in Slurm");
            }
        }
        finally
        {
            await LiveClusters.ResumeAsync("uz", "uz-n1");
            await LiveClusters.ResumeAsync("uz", "uz-n2");
        }
    }
}
