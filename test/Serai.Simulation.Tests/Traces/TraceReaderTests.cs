using Serai.Simulation.Traces;

namespace Serai.Simulation.Tests.Traces;

public sealed class TraceReaderTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("serai-trace-").FullName;

    public void Dispose() => Directory.Delete(_dir, true);

    private string File(string name, string text)
    {
        var path = Path.Combine(_dir, name);
        System.IO.File.WriteAllText(path, text);
        return path;
    }

    [Fact]
    public void ITP_rows_are_read_with_the_file_name_as_tenant()
    {
        var path = File("cluster07.csv", "job_id,submission_time,duration,num_gpu\na,10,100,8\nb,20,50,1\n");
        var report = new TraceReadReport();
        var jobs = TraceReader.Read([path], TraceFormat.Itp, BadRowPolicy.Skip, report);
        Assert.Equal(2, jobs.Count);
        Assert.Equal(new TraceJob("a", 10, 100, 8, "cluster07"), jobs[0]);
        Assert.Equal(2, report.RowsRead);
    }

    [Fact]
    public void Bad_rows_are_skipped_and_reported_with_file_and_line()
    {
        var path = File("cluster01.csv", "job_id,submission_time,duration,num_gpu\na,10,100,8\nb,x,50,1\nc,30,-5,1\nd,40,5,0\n\ne,50,5\nf,60,60,2\n");
        var report = new TraceReadReport();
        var jobs = TraceReader.Read([path], TraceFormat.Itp, BadRowPolicy.Skip, report);
        Assert.Equal(["a", "f"], jobs.Select(j => j.Name));
        Assert.Equal(4, report.BadRowCount);
        Assert.Equal([3, 4, 5, 7], report.BadRows.Select(b => b.Line));
        Assert.All(report.BadRows, b => Assert.Equal("cluster01.csv", b.File));
        Assert.Contains("cluster01.csv:3: submission_time 'x' is not a number", report.Summary());
        Assert.Contains("4 bad rows skipped", report.Summary());
    }

    [Fact]
    public void With_fail_the_first_bad_row_stops_the_read_naming_file_and_line()
    {
        var path = File("cluster02.csv", "job_id,submission_time,duration,num_gpu\na,10,100,8\nb,20,abc,1\n");
        var e = Assert.Throws<TraceFormatException>(() => TraceReader.Read([path], TraceFormat.Itp, BadRowPolicy.Fail, new TraceReadReport()));
        Assert.Equal(3, e.Line);
        Assert.StartsWith("cluster02.csv:3: duration 'abc' is not a number", e.Message);
    }

    [Fact]
    public void A_missing_column_is_reported_on_line_1()
    {
        var path = File("x.csv", "job_id,submission_time,num_gpu\na,1,1\n");
        var e = Assert.Throws<TraceFormatException>(() => TraceReader.Read([path], TraceFormat.Itp, BadRowPolicy.Skip, new TraceReadReport()));
        Assert.Equal(1, e.Line);
        Assert.Contains("missing column(s) duration", e.Message);
    }

    [Fact]
    public void Philly_rows_take_the_cluster_as_tenant()
    {
        var path = File("philly.csv", "timestamp,duration,num_gpus,gpu_time,cluster\n100,3600,4,14400,vc-a\n200,60,1,60,\n");
        var report = new TraceReadReport();
        var jobs = TraceReader.Read([path], TraceFormat.Philly, BadRowPolicy.Skip, report);
        Assert.Equal(new TraceJob(null, 100, 3600, 4, "vc-a"), Assert.Single(jobs));
        Assert.Equal("philly.csv:3: cluster is missing", report.BadRows[0].ToString());
    }

    [Fact]
    public void Alibaba_pods_run_from_scheduling_to_deletion_and_pods_without_GPUs_are_counted_out()
    {
        var header = "name,cpu_milli,memory_mib,num_gpu,gpu_milli,gpu_spec,qos,pod_phase,creation_time,deletion_time,scheduled_time\n";
        var path = File("pods.csv", header
            + "p1,8000,30000,1,500,V100M16,LS,Succeeded,100,1100,200\n"
            + "p2,8000,30000,0,0,,BE,Succeeded,100,1100,200\n"
            + "p3,8000,30000,2,1000,T4,BE,Running,100,,150\n"
            + "p4,8000,30000,2,1000,T4,BE,Failed,100,50,150\n");
        var report = new TraceReadReport();
        var jobs = TraceReader.Read([path], TraceFormat.Alibaba, BadRowPolicy.Skip, report);
        Assert.Equal(new TraceJob("p1", 100, 900, 1, "LS", "V100M16", "LS", GpuMilli: 500), Assert.Single(jobs));
        Assert.Equal(1, report.Filtered["pods without GPUs"]);
        Assert.Single(report.Filtered, f => f.Key.Contains("no deletion_time", StringComparison.Ordinal));
        Assert.Equal(5, Assert.Single(report.BadRows).Line);
    }

    [Fact]
    public void The_bundled_sample_reads_without_bad_rows()
    {
        var report = new TraceReadReport();
        var jobs = TraceReader.Read(Serai.Simulation.Running.WorkloadLoader.ExpandPaths([Support.TestHubs.SampleFolder()]), TraceFormat.Itp, BadRowPolicy.Fail, report);
        Assert.True(jobs.Count > 5000);
        Assert.Equal(8, jobs.Select(j => j.TenantKey).Distinct().Count()); // cluster01 and cluster10 submit nothing in these two days
        Assert.Equal(0, report.BadRowCount);
    }
}
