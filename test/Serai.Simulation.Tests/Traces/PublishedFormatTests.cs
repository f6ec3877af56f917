using Serai.Simulation.Hubs;
using Serai.Simulation.Running;
using Serai.Simulation.Traces;
using Serai.Simulation.Workloads;

namespace Serai.Simulation.Tests.Traces;

/// <summary>Small files in the forms the public traces are published in.</summary>
public sealed class PublishedFormatTests : IDisposable
{
    private const string PodHeader = "name,cpu_milli,memory_mib,num_gpu,gpu_milli,gpu_spec,qos,pod_phase,creation_time,deletion_time,scheduled_time\n";
    private readonly string _dir = Directory.CreateTempSubdirectory("serai-published-").FullName;

    public void Dispose() => Directory.Delete(_dir, true);

    private string File(string name, string text)
    {
        var path = Path.Combine(_dir, name);
        System.IO.File.WriteAllText(path, text);
        return path;
    }

    [Fact]
    public void Philly_as_published_reads_date_times_with_and_without_a_zone_and_epoch_seconds()
    {
        var path = File("philly.csv", "timestamp,duration,num_gpus,gpu_time,cluster\n"
            + "2017-10-09 07:01:55,3600,12,43200,vc-a\n"
            + "2017-10-09T07:02:55Z,60,1,60,vc-b\n"
            + "2017-10-09 15:03:55+08:00,60,1,60,vc-b\n"
            + "2017-10-09 00:04:55 PDT,60,1,60,vc-c\n"
            + "1507532755,60,1,60,vc-c\n"
            + "1507532815.0,60,1,60,vc-c\n");
        var report = new TraceReadReport();
        var jobs = TraceReader.Read([path], TraceFormat.Philly, BadRowPolicy.Fail, report);
        var first = new DateTimeOffset(2017, 10, 9, 7, 1, 55, TimeSpan.Zero).ToUnixTimeSeconds();
        Assert.Equal([first, first + 60, first + 120, first + 180, first + 240, first + 300], jobs.Select(j => j.SubmitSeconds));
        Assert.Equal(new TraceJob(null, first, 3600, 12, "vc-a"), jobs[0]);
        Assert.Equal(0, report.BadRowCount);
    }

    [Fact]
    public void A_Philly_timestamp_that_is_no_time_names_the_file_line_and_the_forms_allowed()
    {
        var path = File("philly.csv", "timestamp,duration,num_gpus,gpu_time,cluster\n2017-10-09 07:01:55,60,1,60,vc\nyesterday,60,1,60,vc\n");
        var report = new TraceReadReport();
        TraceReader.Read([path], TraceFormat.Philly, BadRowPolicy.Skip, report);
        var bad = Assert.Single(report.BadRows);
        Assert.StartsWith("philly.csv:3: timestamp 'yesterday' is neither epoch seconds nor a date and time such as 2017-10-09 07:01:55", bad.ToString());
    }

    [Fact]
    public void Alibaba_pods_keep_their_GPU_share_and_pods_that_never_ran_are_left_out_with_a_count()
    {
        var path = File("openb_pod_list_default.csv", PodHeader
            + "openb-pod-0000,12000,16384,1,1000,,LS,Running,0,12537,0\n"
            + "openb-pod-0001,6000,12288,1,460,,LS,Running,427,12902,430\n"
            + "openb-pod-0002,8000,30517,1,320,,BE,Pending,10020,10025,\n"
            + "openb-pod-0003,8000,30517,1,1000,,BE,Pending,10020,10025,10021\n"
            + "openb-pod-0004,8000,30517,2,1000,T4,BE,Succeeded,100,5000,200\n"
            + "openb-pod-0005,8000,30517,1,1000,,BE,Failed,100,5000,\n");
        var report = new TraceReadReport();
        var jobs = TraceReader.Read([path], TraceFormat.Alibaba, BadRowPolicy.Fail, report);
        Assert.Equal(["openb-pod-0000", "openb-pod-0001", "openb-pod-0004"], jobs.Select(j => j.Name));
        Assert.Equal([0, 460, 0], jobs.Select(j => j.GpuMilli));
        Assert.Equal(12472, jobs[1].DurationSeconds); // from scheduled_time, not creation_time
        Assert.Equal(3, report.Filtered[AlibabaReader.NeverRan]);
        Assert.Equal(3, report.RowsRead);
    }

    [Fact]
    public void An_Alibaba_node_list_becomes_a_hub_with_a_pool_per_model_and_node_size()
    {
        var nodes = File("openb_node_list_gpu_node.csv", "sn,cpu_milli,memory_mib,gpu,model\n"
            + "openb-node-0000,64000,262144,2,T4\nopenb-node-0001,64000,262144,2,T4\nopenb-node-0002,96000,786432,8,V100M16\n"
            + "openb-node-0003,96000,786432,0,\nopenb-node-0004,96000,786432,8,G2\n");
        Assert.True(NodeListReader.IsNodeList(nodes));
        var report = new TraceReadReport();
        var list = NodeListReader.Read(nodes, BadRowPolicy.Fail, report);
        Assert.Equal(1, report.Filtered[NodeListReader.NoGpus]);

        var unknown = Assert.Throws<ArgumentException>(() => NodeListHub.Build("nodes", list, ["LS", "BE"], new Dictionary<string, string>()));
        Assert.Contains("GPU model 'G2' is not known", unknown.Message, StringComparison.Ordinal);

        var hub = NodeListHub.Build("nodes", list, ["LS", "BE"], new Dictionary<string, string> { ["G2"] = "A10" });
        Assert.Equal(2 * 2 + 8 + 8, hub.TotalGpus);
        Assert.Equal(["A10 1×8", "T4 2×2", "V100M16 1×8"], hub.Pools.Select(p => $"{p.Accelerator.Model} {p.Nodes}×{p.GpusPerNode}"));
        Assert.Equal(65, hub.Accelerators.Single(a => a.Model == "T4").Bf16Tflops);
        Assert.Equal(["LS", "BE"], hub.Tenants.Select(t => t.Name));
    }

    [Fact]
    public void A_pod_that_names_one_GPU_model_of_a_node_list_hub_asks_for_that_model()
    {
        var nodes = File("nodes.csv", "sn,cpu_milli,memory_mib,gpu,model\nn0,1,1,2,T4\nn1,1,1,8,V100M16\n");
        var hub = NodeListHub.Build("nodes", NodeListReader.Read(nodes, BadRowPolicy.Fail, new TraceReadReport()), ["LS"], new Dictionary<string, string>());
        var trace = new List<TraceJob> { new("a", 0, 60, 1, "LS", "T4", "LS"), new("b", 0, 60, 1, "LS", "V100M16|V100M32", "LS") };
        var (workload, _) = WorkloadLoader.Map(hub, trace, new TraceMapping(), TestStart);
        Assert.Equal(hub.AcceleratorIndex("T4"), workload.Jobs[0].Accelerator);
        Assert.Equal(-1, workload.Jobs[1].Accelerator);
    }

    [Fact]
    public void More_bad_rows_than_the_share_allowed_make_the_trace_unusable_with_the_first_errors()
    {
        var rows = string.Concat(Enumerable.Range(0, 98).Select(i => $"j{i},{i},60,1\n"));
        var path = File("cluster01.csv", "job_id,submission_time,duration,num_gpu\n" + rows + "x,1,sixty,1\ny,2,60,zero\n");
        var report = new TraceReadReport();
        TraceReader.Read([path], TraceFormat.Itp, BadRowPolicy.Skip, report);
        var message = report.Unusable(0.01);
        Assert.NotNull(message);
        Assert.StartsWith("2 of 100 rows (2.0 %) are bad, more than the 1.0 % allowed", message);
        Assert.Contains("cluster01.csv:100: duration 'sixty' is not a number", message, StringComparison.Ordinal);
        Assert.Null(report.Unusable(0.02));
    }

    [Fact]
    public void A_trace_with_no_job_left_is_unusable_even_when_no_row_is_bad()
    {
        var path = File("pods.csv", PodHeader + "p,1,1,1,1000,,LS,Pending,10,20,\n");
        var report = new TraceReadReport();
        TraceReader.Read([path], TraceFormat.Alibaba, BadRowPolicy.Skip, report);
        Assert.StartsWith("no job is left to replay (1 data rows, 0 bad, 1 left out)", report.Unusable(0.01));
    }

    [Fact]
    public void The_mapping_notes_say_what_the_trace_did_not_and_nothing_is_deferrable_by_default()
    {
        var hub = SampleHubs.Itp(64);
        var trace = Enumerable.Range(0, 50).Select(i => new TraceJob($"j{i}", i, 60, 1, "cluster01", GpuMilli: i % 2 == 0 ? 500 : 0)).ToList();
        var (workload, notes) = WorkloadLoader.Map(hub, trace, new TraceMapping(), TestStart);
        Assert.DoesNotContain(workload.Jobs, j => j.Deferrable);
        Assert.Contains(notes, n => n.StartsWith("mapping: deferrable share 0 (0 of 50 jobs", StringComparison.Ordinal));
        Assert.Contains(notes, n => n.StartsWith("mapping: priority from the priority mix: normal 100 %", StringComparison.Ordinal));
        Assert.Contains(notes, n => n.Contains("no datasets", StringComparison.Ordinal));
        Assert.Contains(notes, n => n.StartsWith("25 jobs ask for part of one GPU", StringComparison.Ordinal));
    }

    private const long TestStart = Support.TestHubs.Start;
}
