using Serai.Simulation.Traces;

namespace Serai.Simulation.Tests.Traces;

/// <summary>
/// Small files in the forms Microsoft (Philly's cluster_job_log), SenseTime (Helios), Shanghai AI Lab (AcmeTrace) and
/// Alibaba (PAI 2020) publish their job logs in, written here after the owners' documented columns.
/// </summary>
public sealed class JobLogFormatTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("serai-joblogs-").FullName;

    public void Dispose() => Directory.Delete(_dir, true);

    private string File(string name, string text)
    {
        var path = Path.Combine(_dir, name);
        System.IO.File.WriteAllText(path, text);
        return path;
    }

    private static long At(int day, int hour, int minute, int second) => new DateTimeOffset(2017, 10, day, hour, minute, second, TimeSpan.Zero).ToUnixTimeSeconds();

    private const string PhillyLog = """
        [{"status": "Pass", "vc": "6214e9", "jobid": "application_1506638472019_10238",
          "attempts": [{"start_time": "2017-10-07 01:00:00", "end_time": "2017-10-07 01:10:00",
                        "detail": [{"ip": "m1", "gpus": ["gpu0", "gpu1", "gpu2", "gpu3", "gpu4", "gpu5", "gpu6", "gpu7"]},
                                   {"ip": "m2", "gpus": ["gpu0", "gpu1", "gpu2", "gpu3"]}]},
                       {"start_time": "2017-10-07 02:00:00", "end_time": "2017-10-07 03:00:00",
                        "detail": [{"ip": "m3", "gpus": ["gpu0"]}]}],
          "submitted_time": "2017-10-07 00:59:00", "user": "a1b2"},
         {"status": "Killed", "vc": "6214e9", "jobid": "application_2", "attempts": [], "submitted_time": "2017-10-07 02:00:00", "user": "a1b2"},
         {"status": "Pass", "vc": "ee9e8c", "jobid": "application_3",
          "attempts": [{"start_time": "2017-10-07 03:00:10", "end_time": "None", "detail": [{"ip": "m1", "gpus": ["gpu0"]}]}],
          "submitted_time": "2017-10-07 03:00:00", "user": "c3"},
         {"status": "Failed", "vc": "ee9e8c", "jobid": "application_4",
          "attempts": [{"start_time": null, "end_time": null, "detail": []},
                       {"start_time": "2017-10-07 04:00:00", "end_time": "2017-10-07 04:00:00", "detail": [{"ip": "m1", "gpus": ["gpu0", "gpu1"]}]}],
          "submitted_time": "2017-10-07 03:59:00", "user": "c3"},
         {"status": "Pass", "vc": "ee9e8c", "jobid": "application_5",
          "attempts": [{"start_time": "2017-10-07 05:00:00", "end_time": "2017-10-07 06:00:00", "detail": [{"ip": "m1", "gpus": []}]}],
          "submitted_time": "2017-10-07 05:00:00", "user": "c3"},
         {"status": "Pass", "vc": "ee9e8c", "jobid": "application_6", "attempts": [], "submitted_time": "yesterday", "user": "c3"}]
        """;

    [Fact]
    public void Philly_job_log_as_published_gives_the_first_placed_attempts_GPUs_and_the_time_its_attempts_ran()
    {
        var path = File("cluster_job_log", PhillyLog);
        var report = new TraceReadReport();
        var jobs = TraceReader.Read([path], TraceFormat.Philly, BadRowPolicy.Skip, report);
        Assert.Equal(2, jobs.Count);
        // 12 GPUs on two machines in the first attempt; 10 min + 60 min of attempts, not the 2 h from first start to last end
        Assert.Equal(new TraceJob("application_1506638472019_10238", At(7, 0, 59, 0), 70 * 60, 12, "6214e9"), jobs[0]);
        // an attempt never placed is skipped; a job that ran for no time counts one second
        Assert.Equal(new TraceJob("application_4", At(7, 3, 59, 0), 1, 2, "ee9e8c"), jobs[1]);
        Assert.Equal(1, report.Filtered[PhillyJobLogReader.NeverRan]);
        Assert.Equal(1, report.Filtered[PhillyJobLogReader.NeverEnded]);
        Assert.Equal(1, report.Filtered[PhillyJobLogReader.NoGpus]);
        var bad = Assert.Single(report.BadRows);
        Assert.Equal("cluster_job_log:6: job application_6: submitted_time 'yesterday' is neither epoch seconds nor a date and time such as 2017-10-03 02:40:26", bad.ToString());
    }

    [Fact]
    public void A_Philly_job_log_cut_short_keeps_the_jobs_before_the_cut_and_says_where_it_broke()
    {
        var cut = PhillyLog[..PhillyLog.IndexOf("{\"status\": \"Failed\"", StringComparison.Ordinal)] + "{\"status\": \"Fa";
        var report = new TraceReadReport();
        var jobs = TraceReader.Read([File("cluster_job_log", cut)], TraceFormat.Philly, BadRowPolicy.Skip, report);
        Assert.Single(jobs);
        var bad = Assert.Single(report.BadRows);
        Assert.StartsWith("cluster_job_log:4: not valid JSON after job 3 (line ", bad.ToString(), StringComparison.Ordinal);
        Assert.Throws<TraceFormatException>(() => TraceReader.Read([File("cluster_job_log", cut)], TraceFormat.Philly, BadRowPolicy.Fail, new TraceReadReport()));
    }

    [Fact]
    public void Helios_cluster_log_as_published_keeps_GPU_jobs_that_ran_under_their_virtual_cluster()
    {
        var path = File("cluster_log.csv", "job_id,user,vc,gpu_num,cpu_num,node_num,state,submit_time,start_time,end_time,duration\n"
            + "1,u1,vc6YE,8,48,1,COMPLETED,2020-04-01 00:00:22,2020-04-01 00:00:23,2020-04-01 01:00:23,3600\n"
            + "2,u1,vc6YE,0,4,1,COMPLETED,2020-04-01 00:01:00,2020-04-01 00:01:01,2020-04-01 00:02:01,60\n"
            + "3,u2,vcLJZ,16,96,2,FAILED,2020-04-01 00:02:00,2020-04-01 00:03:00,2020-04-01 00:03:00,0\n"
            + "4,u2,vcLJZ,1,6,1,CANCELLED,2020-04-01 00:04:00,,,0\n"
            + "5,u2,vcLJZ,1,6,1,CANCELLED by 1234,2020-04-01 00:05:00,2020-04-01 00:05:00,2020-04-01 00:05:00,0\n"
            + "6,u3,vcLJZ,4,6,1,RUNNING,2020-04-01 00:06:00,2020-04-01 00:06:01,,\n"
            + "7,u3,vcLJZ,4,6,1,TIMEOUT,2020-04-01 00:07:00,2020-04-01 00:07:01,2020-04-01 00:08:01,-5\n");
        var report = new TraceReadReport();
        var jobs = TraceReader.Read([path], TraceReader.ParseFormat("helios"), BadRowPolicy.Skip, report);
        var start = new DateTimeOffset(2020, 4, 1, 0, 0, 22, TimeSpan.Zero).ToUnixTimeSeconds();
        Assert.Equal([new TraceJob("1", start, 3600, 8, "vc6YE"), new TraceJob("3", start + 98, 1, 16, "vcLJZ")], jobs);
        Assert.Equal(1, report.Filtered[HeliosReader.NoGpus]);
        Assert.Equal(2, report.Filtered[HeliosReader.NeverRan]);
        Assert.Equal(1, report.Filtered[HeliosReader.NeverEnded]);
        Assert.Equal("cluster_log.csv:8: duration -5 s is negative", Assert.Single(report.BadRows).ToString());
    }

    [Fact]
    public void An_AcmeTrace_log_without_a_vc_column_takes_the_user_and_times_the_job_from_start_to_end()
    {
        var path = File("trace_seren.csv", "job_id,user,node_num,gpu_num,cpu_num,type,state,submit_time,start_time,end_time\n"
            + "dlcx1,ua,1,8,64,Pretrain,COMPLETED,2023-03-01 08:00:00,2023-03-01 08:10:00,2023-03-01 09:10:00\n");
        var jobs = TraceReader.Read([path], TraceReader.ParseFormat("acme"), BadRowPolicy.Fail, new TraceReadReport());
        Assert.Equal(new TraceJob("dlcx1", new DateTimeOffset(2023, 3, 1, 8, 0, 0, TimeSpan.Zero).ToUnixTimeSeconds(), 3600, 8, "ua"), Assert.Single(jobs));
    }

    [Fact]
    public void A_job_log_without_a_duration_or_start_and_end_names_the_columns_it_needs()
    {
        var path = File("cluster_log.csv", "job_id,vc,gpu_num,submit_time\n1,vc,1,2020-04-01 00:00:00\n");
        var error = Assert.Throws<TraceFormatException>(() => TraceReader.Read([path], TraceFormat.Helios, BadRowPolicy.Skip, new TraceReadReport()));
        Assert.Equal("cluster_log.csv:1: missing column(s): the header must name duration, or start_time and end_time", error.Message);
    }

    [Fact]
    public void PAI_2020_tables_without_a_header_join_tasks_into_jobs_with_their_GPU_share_submit_time_and_user()
    {
        // pai_task_table: job_name,task_name,inst_num,status,start_time,end_time,plan_cpu,plan_mem,plan_gpu,gpu_type
        var tasks = File("pai_task_table.csv",
            "j1,tensorflow,1.0,Terminated,1000.0,1600.0,600.0,29.3,50.0,T4\n"
            + "j2,ps,1.0,Terminated,2000.0,5000.0,600.0,29.3,,\n"
            + "j2,worker,4.0,Terminated,2010.0,5010.0,800.0,29.3,100.0,V100\n"
            + "j3,worker,1.0,Failed,,,600.0,29.3,100.0,P100\n"
            + "j4,tensorflow,1.0,Running,3000.0,,600.0,29.3,100.0,MISC\n"
            + "j5,tensorflow,1.0,Terminated,3000.0,3100.0,600.0,29.3,0.0,MISC\n"
            + "j6,tensorflow,2.0,Terminated,3000.0,3100.0,600.0,29.3,75.0,MISC\n"
            + "j7,tensorflow,1.0,Terminated,abc,3100.0,600.0,29.3,100.0,MISC\n");
        // pai_job_table: job_name,inst_id,user,status,start_time,end_time (start_time is when the job was submitted)
        File("pai_job_table.csv", "j1,i1,u1,Terminated,900.0,1600.0\nj2,i2,u2,Terminated,1990.0,5010.0\nj6,i6,u1,Terminated,2990.0,3100.0\n");
        File("pai_instance_table.csv", "j1,tensorflow,x,y,i1,Terminated,1000.0,1600.0,m1\n");
        var report = new TraceReadReport();
        var jobs = TraceReader.Read(Running.WorkloadLoader.ExpandPaths([_dir]), TraceFormat.Pai, BadRowPolicy.Skip, report);
        Assert.Equal(
            [
                new TraceJob("j1", 900, 600, 1, "u1", "T4", null, 500),
                new TraceJob("j2", 1990, 3010, 4, "u2", "V100", null, 0),
                new TraceJob("j6", 2990, 100, 2, "u1", null, null, 0),
            ],
            jobs);
        Assert.Equal(1, report.Filtered[PaiReader.NeverRan]);
        Assert.Equal(1, report.Filtered[PaiReader.NeverEnded]);
        Assert.Equal(1, report.Filtered[PaiReader.NoGpus]);
        Assert.Equal("pai_task_table.csv:8: start_time 'abc' is not a time in seconds", Assert.Single(report.BadRows).ToString());
    }

    [Fact]
    public void A_PAI_task_table_alone_submits_each_job_when_it_starts_under_one_tenant_key()
    {
        var tasks = File("pai_task_table.csv", "job_name,task_name,inst_num,status,start_time,end_time,plan_cpu,plan_mem,plan_gpu,gpu_type\n"
            + "j1,tensorflow,1.0,Terminated,1000.0,1600.0,600.0,29.3,250.0,V100M32\n");
        var jobs = TraceReader.Read([tasks], TraceFormat.Pai, BadRowPolicy.Fail, new TraceReadReport());
        Assert.Equal(new TraceJob("j1", 1000, 600, 3, "pai", "V100M32", null, 0), Assert.Single(jobs));
    }
}
