namespace Serai.Execution.Slurm.Parsing;

/// <summary>The GPUs of one job as <c>scontrol -d -o show job</c> gives them: per node set, its GRES with indexes.</summary>
public sealed record SlurmJobGpus(string JobId, string JobName, IReadOnlyList<(string Nodes, string Gres)> Gpus);

/// <summary>
/// Reads <c>scontrol -d -o show job</c>: one line per job of <c>Key=Value</c> pairs; the detail part repeats
/// <c>Nodes=kz-n1 CPU_IDs=0 Mem=0 GRES=gpu:h100:2(IDX:0-1)</c> for each set of nodes. Lines without a job id are skipped.
/// </summary>
public static class GresDetail
{
    public static List<SlurmJobGpus> Parse(string output)
    {
        var jobs = new List<SlurmJobGpus>();
        foreach (var line in output.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            string? id = null, name = null, nodes = null;
            var gpus = new List<(string, string)>();
            foreach (var token in line.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            {
                var eq = token.IndexOf('=', StringComparison.Ordinal);
                if (eq <= 0)
                {
                    continue;
                }
                var (key, value) = (token[..eq], token[(eq + 1)..]);
                switch (key)
                {
                    case "JobId" when id is null:
                        id = value;
                        break;
                    case "JobName" when name is null:
                        name = value;
                        break;
                    case "Nodes":
                        nodes = value;
                        break;
                    case "GRES" when nodes is not null && value.Contains("gpu", StringComparison.Ordinal):
                        gpus.Add((nodes, value));
                        nodes = null;
                        break;
                }
            }
            if (id is not null && name is not null)
            {
                jobs.Add(new SlurmJobGpus(id, name, gpus));
            }
        }
        return jobs;
    }
}
