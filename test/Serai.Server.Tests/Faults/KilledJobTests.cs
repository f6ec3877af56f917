using System.Globalization;
using Dapper;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Serai.Server.Control;
using Xunit.Abstractions;

namespace Serai.Server.Tests.Faults;

/// <summary>
/// Issue 9, fault suite: a job's processes killed from outside the server (an OOM killer, an operator's kill -9).
/// The job ends failed once, with the reason; nothing of it is left running; its GPUs are free in memory and in the
/// database; it is not run again.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class KilledJobTests(ITestOutputHelper output) : IAsyncLifetime
{
    private readonly string _directory = TestDatabases.NewDirectory();
    private SeraiFactory _factory = null!;

    public async Task InitializeAsync() =>
        _factory = await new SeraiFactory(TestDatabases.NewSqlite(_directory), _directory, scheduler: new FirstFitCycle()).StartAsync();

    public async Task DisposeAsync()
    {
        await _factory.DisposeAsync();
        TestDatabases.Remove(_directory);
    }

    [Theory]
    [InlineData("command")]
    [InlineData("group")]
    public async Task A_job_whose_processes_are_killed_from_outside_ends_failed_once_with_nothing_left_and_its_GPUs_free(string what)
    {
        var alpha = _factory.Client(SeraiFactory.AlphaToken);
        var id = await alpha.SubmitIdAsync(new { command = (string[])["sleep", "300"], gpus = 2 });
        await alpha.WaitForAsync(id, j => j.State() == "running");
        var group = await GroupOfAsync(id);
        var members = Members(group);
        var sleeps = members.Where(p => Comm(p) == "sleep").ToList();
        Assert.True(sleeps.Count == 1, $"the job's group {group} holds {string.Join(", ", members.Select(p => $"{p} ({Comm(p)})"))}, not one sleep");

        // from outside: the command only (as an OOM killer would), or every process of the job's group, wrapper included
        var victims = what == "command" ? sleeps : members;
        foreach (var pid in victims)
        {
            Shell.Run("kill", "-KILL", pid.ToString(CultureInfo.InvariantCulture));
        }
        var job = await alpha.WaitForAsync(id, j => j.State() is not ("running" or "starting" or "admitted" or "stopping"), seconds: 30);
        output.WriteLine($"killed the {what} ({victims.Count} process(es)): job {id} is {job.State()}, exit code {job.GetProperty("exitCode")}, reason: {job.GetProperty("reason")}");
        Assert.Equal("failed", job.State());

        await LocalExecutionTests.WaitUntilAsync(() => Members(group).Count == 0, seconds: 10, what: $"no process left in the job's group {group}");
        await LocalExecutionTests.WaitUntilAsync(() =>
        {
            var s = _factory.Services.GetRequiredService<ControlLoop>().Snapshot;
            return s.RunningJobs == 0 && s.Sites.Sum(x => x.Gpus.Sum(g => g.Used)) == 0;
        }, seconds: 10, what: "no GPU held in memory");
        using var connection = new SqliteConnection($"Data Source={Path.Combine(_directory, "serai.db")};Pooling=False");
        connection.Open();
        Assert.Equal(0L, connection.ExecuteScalar<long>("select count(*) from jobs where state in ('admitted', 'starting', 'running', 'stopping')"));
        Assert.Equal(1L, connection.ExecuteScalar<long>("select attempt from jobs where id = @id", new { id }));
        // it stays ended: not dispatched again
        await Task.Delay(TimeSpan.FromSeconds(2));
        Assert.Equal("failed", (await alpha.GetJobAsync(id)).State());
        Assert.Equal(1L, connection.ExecuteScalar<long>("select count(*) from audit where job_id = @id and kind = 'end'", new { id }));
    }

    private async Task<int> GroupOfAsync(long id)
    {
        var file = Path.Combine(_directory, "jobs", id.ToString(CultureInfo.InvariantCulture), "pid");
        await LocalExecutionTests.WaitUntilAsync(() => File.Exists(file), seconds: 10, what: $"{file}");
        return int.Parse(File.ReadAllText(file).Trim(), CultureInfo.InvariantCulture);
    }

    /// <summary>Live processes whose process group is <paramref name="group"/>.</summary>
    private static List<int> Members(int group)
    {
        var found = new List<int>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out var pid))
            {
                continue;
            }
            try
            {
                var stat = File.ReadAllText(Path.Combine(dir, "stat"));
                var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
                // fields after the name: state, ppid, pgrp; a zombie has ended
                if (fields[0] != "Z" && int.Parse(fields[2], CultureInfo.InvariantCulture) == group)
                {
                    found.Add(pid);
                }
            }
            catch (IOException)
            {
            }
        }
        return found;
    }

    private static string Comm(int pid)
    {
        try
        {
            return File.ReadAllText($"/proc/{pid}/comm").Trim();
        }
        catch (IOException)
        {
            return "?";
        }
    }
}
