namespace Serai.Execution.Tests;

/// <summary>The router sends each call to the backend of its site and passes on the events of every backend once.</summary>
public sealed class BackendRouterTests : IDisposable
{
    private readonly FakeBackend _north = new("north");
    private readonly FakeBackend _south = new("south");
    private readonly BackendRouter _router;

    // kz-astana and kz-almaty share one backend instance; uz-tashkent has its own
    public BackendRouterTests() => _router = new BackendRouter(
    [
        KeyValuePair.Create("kz-astana", (IExecutionBackend)_north),
        KeyValuePair.Create("kz-almaty", (IExecutionBackend)_north),
        KeyValuePair.Create("uz-tashkent", (IExecutionBackend)_south),
    ]);

    public void Dispose() => _router.Dispose();

    private static JobLaunch Launch(long id, string site) =>
        new(id, 1, "alpha", site, "h200", [new LaunchNode(0, null, [0, 1])], "nvidia", ["true"]);

    [Fact]
    public async Task A_launch_goes_to_the_backend_of_its_site()
    {
        Assert.Equal("south-7", await _router.DispatchAsync(Launch(7, "uz-tashkent"), default));
        Assert.Equal("north-8", await _router.DispatchAsync(Launch(8, "kz-almaty"), default));
        Assert.Equal(["dispatch job 7 attempt 1 at uz-tashkent"], _south.Calls);
        Assert.Equal(["dispatch job 8 attempt 1 at kz-almaty"], _north.Calls);
    }

    [Fact]
    public async Task Stop_reattach_throttle_and_log_reads_go_by_the_site_of_the_job()
    {
        await _router.StopAsync(new JobRef(1, 2, "uz-tashkent"), StopKind.Preempt, default);
        var found = await _router.ReattachAsync(new JobRef(2, 1, "kz-astana"), "h", default);
        Assert.Equal("south", await _router.ThrottleAsync(new JobRef(3, 1, "uz-tashkent"), 0.5, 700, default));
        var chunk = await _router.ReadLogAsync("kz-almaty", 4, LogStream.Stderr, 10, 100, default);

        Assert.Equal((ReattachState.Exited, JobEndKind.TimedOut), (found.State, found.EndKind));
        Assert.Equal("n"u8.ToArray(), chunk.Bytes);
        Assert.Equal(11L, chunk.NextOffsetBytes);
        Assert.Equal(["stop job 1 attempt 2 at uz-tashkent Preempt", "throttle job 3 attempt 1 at uz-tashkent"], _south.Calls);
        Assert.Equal(["reattach job 2 attempt 1 at kz-astana h", "log kz-almaty 4 Stderr 10"], _north.Calls);
    }

    [Fact]
    public void The_events_of_every_backend_come_out_of_the_router_once_each()
    {
        var events = new EventLog(_router);
        BackendEvent[] raised =
        [
            new JobEnded(new JobRef(1, 1, "kz-astana"), JobEndKind.Exited, 0, "exited with code 0"),
            new NodeStateChanged("uz-tashkent", "h100", 3, "uz-n3", NodeState.Down, "not responding"),
            new SiteStateChanged("kz-almaty", SiteState.Down, "controller unreachable"),
            new JobStopped(new JobRef(2, 3, "uz-tashkent"), StopKind.Cancel, true, "cancelled"),
            new NodeStateChanged("kz-astana", "h200", null, "kz-n1", NodeState.Drained, "maintenance"),
        ];
        _north.Raise(raised[0]);
        _south.Raise(raised[1]);
        _north.Raise(raised[2]); // one instance serves two sites: still passed on once
        _south.Raise(raised[3]);
        _north.Raise(raised[4]);
        Assert.Equal(raised, events.All);
    }

    [Fact]
    public async Task An_unknown_site_is_an_error_that_names_it_and_the_known_sites()
    {
        var error = await Assert.ThrowsAsync<UnknownSiteException>(() => _router.DispatchAsync(Launch(9, "tj-dushanbe"), default));
        Assert.Equal("site 'tj-dushanbe' has no execution backend; known sites: kz-almaty, kz-astana, uz-tashkent", error.Message);
        Assert.Equal("tj-dushanbe", error.Site);
        await Assert.ThrowsAsync<UnknownSiteException>(() => _router.StopAsync(new JobRef(9, 1, "KZ-ASTANA"), StopKind.Cancel, default));
        await Assert.ThrowsAsync<UnknownSiteException>(() => _router.ReadLogAsync("", 9, LogStream.Stdout, 0, 10, default));
        Assert.Empty(_north.Calls.Concat(_south.Calls));
    }

    [Fact]
    public void A_site_given_two_backends_is_refused()
    {
        var error = Assert.Throws<ArgumentException>(() => new BackendRouter(
            [KeyValuePair.Create("kz-astana", (IExecutionBackend)_north), KeyValuePair.Create("kz-astana", (IExecutionBackend)_south)]));
        Assert.Contains("'kz-astana' is given a backend twice", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_router_is_named_after_its_backends_and_disposes_each_once()
    {
        Assert.Equal("north+south", _router.Name);
        Assert.Equal(["kz-almaty", "kz-astana", "uz-tashkent"], _router.Sites.Order(StringComparer.Ordinal));
        Assert.True(_router.Serves("kz-almaty"));
        Assert.False(_router.Serves("kz"));
        _router.Dispose();
        _router.Dispose();
        Assert.Equal((1, 1), (_north.Disposals, _south.Disposals));
    }
}
