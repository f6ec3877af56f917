namespace Serai.Execution.Slurm;

/// <summary>An operator's drain of a node passed on to Slurm, so that Slurm's own users and tools see it too.</summary>
public sealed partial class SlurmBackend
{
    /// <summary>Reasons longer than this are cut: Slurm keeps a node's reason in one line of `sinfo -R`.</summary>
    private const int MaxReasonLength = 200;

    public async Task<string> SetNodeDrainedAsync(string site, string pool, int node, bool drained, string reason, CancellationToken cancellationToken)
    {
        if (!_options.Pools.TryGetValue(pool, out var p) || node < 0 || node >= p.NodeNames.Count)
        {
            return $"not passed on to Slurm: pool '{pool}' names no node {node} in the site's settings (give the pool's nodes to pass drains on)";
        }
        var name = p.NodeNames[node];
        var text = "serai: " + new string([.. reason.Where(c => !char.IsControl(c))]);
        string[] args = drained
            ? ["update", $"nodename={name}", "state=drain", $"reason={(text.Length > MaxReasonLength ? text[..MaxReasonLength] : text)}"]
            : ["update", $"nodename={name}", "state=resume"];
        var answer = await _runner.RunAsync("scontrol", args, null, _options.CommandTimeout, cancellationToken).ConfigureAwait(false);
        return answer.Ok
            ? $"Slurm node {name} {(drained ? "drained" : "resumed")}"
            : $"Slurm refused to {(drained ? "drain" : "resume")} node {name}: {answer.Stderr.Trim()}";
    }
}
