using Serai.Execution.Slurm.Commands;

namespace Serai.Execution.Slurm;

/// <summary>One thing a probe checked at a Slurm site, and whether it is there.</summary>
public sealed record ProbeFinding(bool Ok, string What);

/// <summary>Asks a Slurm site whether the partitions, GPU types, node names and accounts of its settings exist.</summary>
public static class SlurmProbe
{
    public static async Task<IReadOnlyList<ProbeFinding>> RunAsync(SlurmBackendOptions options, ICommandRunner runner, CancellationToken cancellationToken)
    {
        var findings = new List<ProbeFinding>();
        var nodes = await runner.RunAsync("sinfo", Parsing.SinfoFormat.QueryArguments(options), null, options.CommandTimeout, cancellationToken).ConfigureAwait(false);
        if (!nodes.Ok)
        {
            findings.Add(new(false, $"sinfo at cluster '{options.Cluster}' via {runner.Description} failed: {nodes.Problem}"));
            return findings;
        }
        var records = Parsing.SinfoFormat.Parse(nodes.Stdout);
        foreach (var (name, pool) in options.Pools)
        {
            var inPartition = records.Where(n => n.Partition.Split(',').Contains(pool.Partition, StringComparer.Ordinal)).ToList();
            findings.Add(inPartition.Count > 0
                ? new(true, $"pool {name}: partition '{pool.Partition}' has {inPartition.Select(n => n.Name).Distinct().Count()} node(s)")
                : new(false, $"pool {name}: partition '{pool.Partition}' does not exist or has no nodes; partitions: {string.Join(", ", records.Select(n => n.Partition).Distinct())}"));
            if (pool.GresType is { } type)
            {
                var typed = inPartition.Where(n => n.GresType == type).ToList();
                findings.Add(typed.Count > 0
                    ? new(true, $"pool {name}: GPU type '{type}' on {typed.Count} node(s), {typed.Sum(n => n.Gpus)} GPUs")
                    : new(false, $"pool {name}: no node of partition '{pool.Partition}' has GRES gpu:{type}; types there: {string.Join(", ", inPartition.Select(n => n.GresType ?? "(untyped)").Distinct())}"));
            }
            foreach (var missing in pool.NodeNames.Where(n => inPartition.All(r => r.Name != n)))
            {
                findings.Add(new(false, $"pool {name}: node '{missing}' is not in partition '{pool.Partition}'"));
            }
        }
        var accounts = options.AccountByTenant.Values.Distinct(StringComparer.Ordinal).ToList();
        if (accounts.Count > 0)
        {
            var known = await runner.RunAsync("sacctmgr", ["-n", "-P", "show", "account", "format=Account"], null, options.CommandTimeout, cancellationToken).ConfigureAwait(false);
            if (!known.Ok)
            {
                findings.Add(new(false, $"accounts not checked: sacctmgr failed ({known.Problem}); without slurmdbd and AccountingStorageEnforce=associations Slurm accepts any account name silently"));
            }
            else
            {
                var names = known.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToHashSet(StringComparer.OrdinalIgnoreCase);
                findings.AddRange(accounts.Select(a => names.Contains(a) ? new ProbeFinding(true, $"account '{a}' exists") : new ProbeFinding(false, $"account '{a}' does not exist at the site")));
            }
        }
        return findings;
    }
}
