namespace Serai.Simulation.Traces;

/// <summary>One GPU node of a trace's node list: its name, GPUs and GPU model as the trace writes it.</summary>
public sealed record TraceNode(string Name, int Gpus, string Model);

/// <summary>
/// Alibaba node lists (cluster-trace-gpu-v2023, <c>openb_node_list_*.csv</c>): sn,cpu_milli,memory_mib,gpu,model.
/// Nodes without GPUs are left out and counted; bad rows follow the same policy as trace rows.
/// </summary>
public static class NodeListReader
{
    public const string NoGpus = "nodes without GPUs";
    private static readonly string[] Required = ["sn", "gpu", "model"];

    /// <summary>Whether a file's header is a node list's (has sn, gpu and model).</summary>
    public static bool IsNodeList(string file)
    {
        using var reader = new StreamReader(file);
        var header = (reader.ReadLine() ?? "").Split(',').Select(c => c.Trim().TrimStart('\uFEFF')).ToHashSet(StringComparer.OrdinalIgnoreCase);
        return Required.All(header.Contains);
    }

    public static List<TraceNode> Read(string file, BadRowPolicy policy, TraceReadReport report)
    {
        if (!File.Exists(file))
        {
            throw new TraceFormatException(file, 0, "no such file");
        }
        var csv = new CsvRows(file, Required);
        var (name, gpus, model) = (csv.Column("sn"), csv.Column("gpu"), csv.Column("model"));
        var nodes = new List<TraceNode>();
        foreach (var (line, f) in csv.Rows())
        {
            if (!CsvRows.TryLong(f, gpus, out var g, out var error, "gpu"))
            {
                TraceReader.Bad(policy, report, csv.DisplayName, line, error!);
                continue;
            }
            if (g == 0)
            {
                report.AddFiltered(NoGpus);
                continue;
            }
            var m = CsvRows.Field(f, model);
            if (g is < 0 or > 64 || m.Length == 0)
            {
                TraceReader.Bad(policy, report, csv.DisplayName, line, m.Length == 0 ? "model is missing for a node with GPUs" : $"gpu {g} must be between 0 and 64");
                continue;
            }
            nodes.Add(new TraceNode(CsvRows.Field(f, name), (int)g, m));
        }
        report.RowsRead += nodes.Count;
        return nodes;
    }
}
