using System.Text.RegularExpressions;
using Serai.Config.Reading;
using YamlDotNet.RepresentationModel;

namespace Serai.Config.Sections;

/// <summary><c>backend: slurm</c> and <c>slurm:</c> of a site: cluster, command runner, output folder, polling, pools → partitions, tenants → accounts.</summary>
internal static partial class SlurmSection
{
    public const string BackendAllowed = "local (jobs run as processes of the server's machine) or slurm (the site is a Slurm cluster; needs a slurm: mapping)";

    private static readonly string[] Keys = ["cluster", "ssh", "slurmConf", "outputDirectory", "pollSeconds", "accounting", "clusterFlag", "pools", "accounts", "wckeys"];
    private static readonly string[] PoolKeys = ["partition", "gresType", "nodes", "lookAheadGpus"];

    /// <summary>Reads <c>backend</c> and <c>slurm</c> of one site after its pools; adds the settings to the context when valid.</summary>
    public static void Read(MapReader site, string? siteName, IReadOnlyList<(string Name, int Gpus)> sitePools, LoadContext context)
    {
        var poolNames = sitePools.Select(p => p.Name).ToList();
        var backend = site.Text("backend", required: false, BackendAllowed)?.Trim().ToLowerInvariant();
        if (backend is not (null or "local" or "slurm"))
        {
            site.Errors.Add(site.Get("backend")!, site.Field("backend"), backend, BackendAllowed);
            return;
        }
        if (backend != "slurm")
        {
            if (site.Get("slurm") is { } stray)
            {
                site.Errors.Add(stray, site.Field("slurm"), "(a mapping)", "slurm: only with backend: slurm");
            }
            return;
        }
        if (site.Get("slurm") is not { } node)
        {
            site.Missing("slurm", "a mapping with cluster, outputDirectory, pools (and optionally ssh, slurmConf, pollSeconds, accounting, clusterFlag, accounts, wckeys)");
            return;
        }
        var map = MapReader.Open(node, site.Field("slurm"), site.Errors, Keys);
        if (map is null)
        {
            return;
        }
        var errorsBefore = context.Errors.Count;
        var cluster = Word(map, "cluster", required: true);
        var ssh = map.Text("ssh", required: false, "user@host of a login node where Serai may run sbatch, squeue, sacct, scancel, sinfo");
        if (ssh is not null && !SshPattern().IsMatch(ssh))
        {
            map.Errors.Add(map.Get("ssh")!, map.Field("ssh"), ssh, "user@host or host (letters, digits, '.', '-', '_'; no spaces or options)");
        }
        var conf = map.Text("slurmConf", required: false, "an absolute path of a slurm.conf (sets SLURM_CONF for local commands)");
        if (conf is not null && !Path.IsPathRooted(conf))
        {
            map.Errors.Add(map.Get("slurmConf")!, map.Field("slurmConf"), conf, "an absolute path of a slurm.conf");
        }
        var output = map.Text("outputDirectory", required: true, "an absolute path on the cluster's shared file system for job output");
        if (output is not null && !output.StartsWith('/'))
        {
            map.Errors.Add(map.Get("outputDirectory")!, map.Field("outputDirectory"), output, "an absolute path (starting with /) on the cluster's shared file system");
        }
        var poll = map.Number("pollSeconds", NumberRule.Between(0.2, 300, "seconds between polls (one squeue and one sinfo each; at most 300, Slurm forgets ended jobs after MinJobAge)"), 5);
        var accounting = map.Text("accounting", required: false, "slurmdbd or jobcomp")?.Trim().ToLowerInvariant() ?? "slurmdbd";
        if (accounting is not ("slurmdbd" or "jobcomp"))
        {
            map.Errors.Add(map.Get("accounting")!, map.Field("accounting"), accounting, "slurmdbd (sacct) or jobcomp (sacct -c, jobcomp/filetxt on the controller host)");
        }
        var clusterFlag = map.Bool("clusterFlag", false);
        var pools = ReadPools(map, sitePools);
        var accounts = ReadNames(map, "accounts", "a mapping tenant: Slurm account");
        var wckeys = ReadNames(map, "wckeys", "a mapping tenant: Slurm wckey");
        if (context.Errors.Count > errorsBefore || siteName is null || cluster is null || output is null || poll is null || clusterFlag is null)
        {
            return;
        }
        context.Backends.Add(new SlurmSiteSettings(siteName, cluster, ssh, conf, output, poll.Value, accounting == "jobcomp", clusterFlag.Value,
            pools, accounts.ToDictionary(a => a.Tenant, a => a.Value, StringComparer.Ordinal), wckeys.ToDictionary(a => a.Tenant, a => a.Value, StringComparer.Ordinal)));
        context.BackendTenantRefs.AddRange(accounts.Concat(wckeys).Select(a => (a.Node, a.Field, a.Tenant)));
    }

    private static Dictionary<string, SlurmPoolSettings> ReadPools(MapReader map, IReadOnlyList<(string Name, int Gpus)> sitePools)
    {
        var poolNames = sitePools.Select(p => p.Name).ToList();
        var pools = new Dictionary<string, SlurmPoolSettings>(StringComparer.Ordinal);
        if (map.Get("pools") is not YamlMappingNode node)
        {
            if (map.Get("pools") is { } wrong)
            {
                map.Errors.Add(wrong, map.Field("pools"), ErrorSink.Show(wrong), "a mapping pool name: {partition, gresType, nodes, lookAheadGpus}");
            }
            else
            {
                map.Missing("pools", $"a mapping with each pool of the site ({string.Join(", ", poolNames)}): {{partition, gresType, nodes}}");
            }
            return pools;
        }
        foreach (var (key, value) in node.Children)
        {
            var name = (key as YamlScalarNode)?.Value ?? "";
            var field = $"{map.Field("pools")}.{name}";
            if (!poolNames.Contains(name))
            {
                map.Errors.Add(key, field, name, $"a pool of this site: {string.Join(", ", poolNames)}");
                continue;
            }
            var pool = MapReader.Open(value, field, map.Errors, PoolKeys);
            if (pool is null)
            {
                continue;
            }
            var partition = Word(pool, "partition", required: true);
            var gres = Word(pool, "gresType", required: false);
            var nodes = new List<string>();
            foreach (var item in pool.List("nodes", required: false, "a list of Slurm node names, in pool node order") ?? [])
            {
                if (pool.Scalar(item, pool.Field("nodes"), "a Slurm node name") is { } n)
                {
                    if (!WordPattern().IsMatch(n))
                    {
                        map.Errors.Add(item, pool.Field("nodes"), n, "a Slurm node name (letters, digits, '.', '-', '_')");
                    }
                    nodes.Add(n);
                }
            }
            // jobs handed to Slurm ahead of GPUs freeing (docs/lookahead.md): by default as many GPUs as the pool has
            var gpus = sitePools.First(p => p.Name == name).Gpus;
            var ahead = pool.Get("lookAheadGpus") is { } aheadNode
                ? pool.Integer(aheadNode, pool.Field("lookAheadGpus"), 0, 4 * gpus,
                    $"a whole number of GPUs from 0 (off) to {4 * gpus} (four times the pool's {gpus} GPUs) that may wait in Slurm's queue ahead of GPUs freeing")
                : gpus;
            if (partition is not null && ahead is not null)
            {
                pools[name] = new SlurmPoolSettings(partition, gres, nodes, ahead.Value);
            }
        }
        foreach (var missing in poolNames.Where(p => !pools.ContainsKey(p) && !node.Children.Keys.OfType<YamlScalarNode>().Any(k => k.Value == p)))
        {
            map.Errors.Add(node, $"{map.Field("pools")}.{missing}", "(missing)", "a partition for every pool of a Slurm site: {partition, gresType, nodes}");
        }
        return pools;
    }

    private static List<(YamlNode Node, string Field, string Tenant, string Value)> ReadNames(MapReader map, string key, string allowed)
    {
        var result = new List<(YamlNode, string, string, string)>();
        if (map.Get(key) is not { } node)
        {
            return result;
        }
        if (node is not YamlMappingNode mapping)
        {
            map.Errors.Add(node, map.Field(key), ErrorSink.Show(node), allowed);
            return result;
        }
        foreach (var (k, v) in mapping.Children)
        {
            var tenant = (k as YamlScalarNode)?.Value ?? "";
            var field = $"{map.Field(key)}.{tenant}";
            if (map.Scalar(v, field, "a Slurm name (letters, digits, '.', '-', '_')") is { } value)
            {
                if (WordPattern().IsMatch(value))
                {
                    result.Add((k, field, tenant, value));
                }
                else
                {
                    map.Errors.Add(v, field, value, "a Slurm name (letters, digits, '.', '-', '_')");
                }
            }
        }
        return result;
    }

    private static string? Word(MapReader map, string key, bool required)
    {
        var value = map.Text(key, required, "a Slurm name (letters, digits, '.', '-', '_')");
        if (value is not null && !WordPattern().IsMatch(value))
        {
            map.Errors.Add(map.Get(key)!, map.Field(key), value, "a Slurm name (letters, digits, '.', '-', '_')");
            return null;
        }
        return value;
    }

    [GeneratedRegex(@"^[A-Za-z0-9_][A-Za-z0-9_.\-]{0,127}$")]
    private static partial Regex WordPattern();

    [GeneratedRegex(@"^([A-Za-z0-9_][A-Za-z0-9_.\-]*@)?[A-Za-z0-9_][A-Za-z0-9_.\-]*$")]
    private static partial Regex SshPattern();
}
