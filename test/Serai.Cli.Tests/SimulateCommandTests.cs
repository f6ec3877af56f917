using System.Text.Json;

namespace Serai.Cli.Tests;

public sealed class SimulateCommandTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("serai-simulate-").FullName;

    public void Dispose() => Directory.Delete(_dir, true);

    [Fact]
    public void Simulate_without_a_trace_runs_the_bundled_sample_and_writes_the_four_outputs()
    {
        var (code, _, error) = CliRun.Invoke("simulate", "--out", _dir, "--compare", "fifo", "--quiet");

        Assert.True(code == 0, error);
        foreach (var file in new[] { "summary.json", "jobs.csv", "sites.csv", "report.html", "policies/fifo/jobs.csv" })
        {
            Assert.True(File.Exists(Path.Combine(_dir, file)), file);
        }
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(_dir, "summary.json")));
        var main = json.RootElement.GetProperty("main");
        Assert.Equal("serai", main.GetProperty("policy").GetString());
        Assert.True(main.GetProperty("completed").GetInt32() > 5000);
        Assert.Equal("fifo", json.RootElement.GetProperty("compared")[0].GetProperty("policy").GetString());
        var report = File.ReadAllText(Path.Combine(_dir, "report.html"));
        Assert.Contains("<svg", report, StringComparison.Ordinal);
        Assert.DoesNotContain("<script", report, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("src=\"http", report, StringComparison.OrdinalIgnoreCase);
        Assert.StartsWith("job,tenant,site,accelerator,gpus,submit,start,end,energy_kwh,carbon_kg,preemptions", File.ReadLines(Path.Combine(_dir, "jobs.csv")).First(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--policy", "greedy", "'greedy' is not a policy; allowed: fifo, priority-fairshare, serai, sjf, slurm, srtf, las")]
    [InlineData("--format", "slurm", "--format 'slurm' is not known; allowed: itp, philly, alibaba")]
    [InlineData("--hub", "nowhere", "--hub 'nowhere': no such file, and not a built-in hub")]
    [InlineData("--scenario", "heatwave:atlantis", "site 'atlantis' is not in the hub")]
    [InlineData("--bad-rows", "maybe", "--bad-rows 'maybe': allowed skip, fail")]
    [InlineData("--load", "0.4", "--load goes with --synthetic")]
    public void Bad_flags_are_named_with_what_is_allowed(string flag, string value, string message)
    {
        var (code, _, error) = CliRun.Invoke("simulate", "--out", _dir, "--quiet", flag, value);

        Assert.Equal(1, code);
        Assert.Contains(message, error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("3")]
    [InlineData("0")]
    public void A_synthetic_load_out_of_range_is_named_with_what_is_allowed(string load)
    {
        var (code, _, error) = CliRun.Invoke("simulate", "--synthetic", "10", "--load", load, "--out", _dir, "--quiet");

        Assert.Equal(1, code);
        Assert.Contains($"--load {load}: allowed a number from 0.05 to 1.5", error, StringComparison.Ordinal);
    }

    [Fact]
    public void A_bad_row_with_bad_rows_fail_stops_the_run_naming_file_and_line()
    {
        var trace = Path.Combine(_dir, "cluster01.csv");
        File.WriteAllText(trace, "job_id,submission_time,duration,num_gpu\na,0,60,1\nb,10,sixty,1\n");

        var (code, _, error) = CliRun.Invoke("simulate", "--trace", trace, "--bad-rows", "fail", "--out", _dir, "--quiet");

        Assert.Equal(1, code);
        Assert.Contains("cluster01.csv:3: duration 'sixty' is not a number", error, StringComparison.Ordinal);
    }

    [Fact]
    public void A_Philly_trace_with_too_many_bad_rows_exits_non_zero_naming_the_first()
    {
        var trace = Path.Combine(_dir, "philly.csv");
        File.WriteAllText(trace, "timestamp,duration,num_gpus,gpu_time,cluster\n2017-10-09 07:01:55,60,1,60,vc\n2017-10-09 07:02:55,60,1,60,vc\nnot a time,60,1,60,vc\n");

        var (code, _, error) = CliRun.Invoke("simulate", "--trace", trace, "--format", "philly", "--out", _dir, "--quiet");

        Assert.Equal(1, code);
        Assert.Contains("1 of 3 rows (33.3 %) are bad", error, StringComparison.Ordinal);
        Assert.Contains("philly.csv:4: timestamp 'not a time'", error, StringComparison.Ordinal);
    }

    [Fact]
    public void An_Alibaba_trace_replays_on_the_hub_of_its_node_list()
    {
        // AnsiConsole keeps the writer it first saw, which an earlier in-process run has closed; the notes go to Console.Out
        Spectre.Console.AnsiConsole.Console = Spectre.Console.AnsiConsole.Create(new Spectre.Console.AnsiConsoleSettings { Out = new Spectre.Console.AnsiConsoleOutput(TextWriter.Null) });
        var pods = Path.Combine(_dir, "pods.csv");
        File.WriteAllText(pods, "name,cpu_milli,memory_mib,num_gpu,gpu_milli,gpu_spec,qos,pod_phase,creation_time,deletion_time,scheduled_time\n"
            + "p0,1,1,1,460,,LS,Running,0,600,0\np1,1,1,2,1000,T4,BE,Succeeded,10,700,20\np2,1,1,1,1000,,BE,Pending,30,40,\n");
        var nodes = Path.Combine(_dir, "nodes.csv");
        File.WriteAllText(nodes, "sn,cpu_milli,memory_mib,gpu,model\nn0,1,1,2,T4\nn1,1,1,8,V100M16\n");

        var (code, output, error) = CliRun.Invoke("simulate", "--trace", pods, "--format", "alibaba", "--hub", nodes, "--out", _dir, "--quiet");

        Assert.True(code == 0, error);
        Assert.Contains("1 rows left out: pods that never ran", output, StringComparison.Ordinal);
        Assert.Contains("hub from node list nodes.csv: 10 GPUs", output, StringComparison.Ordinal);
        Assert.Contains("mapping: deferrable share 0", output, StringComparison.Ordinal);
        Assert.Contains("mapping: deferrable share 0", File.ReadAllText(Path.Combine(_dir, "report.html")), StringComparison.Ordinal);
    }

    [Fact]
    public void Alibaba_pods_asking_for_parts_of_a_GPU_share_the_GPUs_of_the_node_list()
    {
        Spectre.Console.AnsiConsole.Console = Spectre.Console.AnsiConsole.Create(new Spectre.Console.AnsiConsoleSettings { Out = new Spectre.Console.AnsiConsoleOutput(TextWriter.Null) });
        var pods = Path.Combine(_dir, "pods.csv");
        File.WriteAllText(pods, "name,cpu_milli,memory_mib,num_gpu,gpu_milli,gpu_spec,qos,pod_phase,creation_time,deletion_time,scheduled_time\n"
            + string.Concat(Enumerable.Range(0, 4).Select(i => $"p{i},1,1,1,500,,LS,Running,0,3600,0\n")));
        var nodes = Path.Combine(_dir, "nodes.csv");
        File.WriteAllText(nodes, "sn,cpu_milli,memory_mib,gpu,model\nn0,1,1,2,V100M16\n");

        var (code, output, error) = CliRun.Invoke("simulate", "--trace", pods, "--format", "alibaba", "--hub", nodes, "--out", _dir, "--quiet");

        Assert.True(code == 0, error);
        Assert.Contains("4 jobs ask for part of one GPU (gpu_milli < 1000); they share GPUs", output, StringComparison.Ordinal);
        var rows = File.ReadAllLines(Path.Combine(_dir, "jobs.csv")).Skip(1).Select(l => l.Split(',')).ToList();
        Assert.Equal(["0.5", "0.5", "0.5", "0.5"], rows.Select(r => r[4]));
        Assert.Single(rows.Select(r => r[6]).Distinct()); // four pods at once on two GPUs
    }
}
