using Serai.Config;
using Serai.Execution.Slurm;
using Serai.Server;

namespace Serai.Cli.Commands;

/// <summary>`serai hub check --probe`: one line per thing asked of each Slurm site; exit code 1 when anything is missing.</summary>
public static class SlurmProbeOutput
{
    public static async Task<int> WriteAsync(HubConfigResult result, TextWriter output, CancellationToken cancellationToken)
    {
        var sites = result.Backends.Values.OfType<SlurmSiteSettings>().ToList();
        if (sites.Count == 0)
        {
            await output.WriteLineAsync("probe: no site says backend: slurm; nothing to ask").ConfigureAwait(false);
            return HubCommands.Ok;
        }
        var code = HubCommands.Ok;
        foreach (var site in sites)
        {
            var findings = await SlurmProbe.RunAsync(SlurmSites.Options(site), SlurmSites.Runner(site), cancellationToken).ConfigureAwait(false);
            foreach (var finding in findings)
            {
                await output.WriteLineAsync($"probe {site.Site} ({site.Cluster}): {(finding.Ok ? "ok" : "MISSING")}: {finding.What}").ConfigureAwait(false);
            }
            if (findings.Any(f => !f.Ok))
            {
                code = HubCommands.Invalid;
            }
        }
        return code;
    }
}
