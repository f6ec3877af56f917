using Serai.Server.Operations;

namespace Serai.Server.Tests.Operations;

/// <summary>The operator state as the replay of actions, and a site's override composed from operator values and the feed.</summary>
public sealed class OperatorStateTests
{
    private static OperatorAction Action(long id, string action, string target, string? mode = null, OverrideValues? values = null, long? until = null) =>
        new(id, 1000 + id, "ayse", action, target, mode, until, values, "test");

    [Fact]
    public void Replaying_actions_in_order_gives_what_is_in_force()
    {
        var hub = OpsHubs.TwoSites();
        var state = new OperatorState(hub);
        Assert.True(state.Apply(Action(1, OperatorActions.Drain, "pool:termez/gpus", DrainModes.Requeue)));
        Assert.True(state.Apply(Action(2, OperatorActions.Drain, "node:almaty/gpus/1")));
        Assert.True(state.Apply(Action(3, OperatorActions.VendorCut, "vendor:nvidia")));
        Assert.True(state.Apply(Action(4, OperatorActions.VendorRestore, "vendor:nvidia")));
        Assert.True(state.Apply(Action(5, OperatorActions.Override, "site:almaty", values: new OverrideValues(GridWatts: 5e5), until: 2000)));
        Assert.False(state.Apply(Action(6, OperatorActions.Drain, "pool:nowhere/gpus")));
        Assert.True(state.PoolClosed(0));
        Assert.False(state.PoolClosed(1));
        Assert.True(state.NodeClosed(1, 1));
        Assert.False(state.NodeClosed(1, 0));
        Assert.NotNull(state.OverrideAt(1, 1999));
        Assert.Null(state.OverrideAt(1, 2000));
        var view = state.View(1500);
        Assert.Equal(["pool:termez/gpus", "node:almaty/gpus/1"], view.Drained.Select(d => d.Target));
        Assert.Equal(DrainModes.Requeue, view.Drained[0].Mode);
        Assert.Empty(view.VendorsCut);
        Assert.Equal("grid 0.5 MW", Assert.Single(view.Overrides).Text);
        Assert.Equal([1], state.Expire(2000));
        Assert.Empty(state.View(2000).Overrides);
    }

    [Fact]
    public void A_fresh_reading_overrides_the_model_a_stale_one_gives_the_model_plus_the_margin_and_an_operator_temperature_wins()
    {
        var feeds = new SiteFeeds(1);
        var options = new FeedOptions(StaleAfterSeconds: 600, StaleMarginC: 3);
        Assert.Null(feeds.Compose(0, false, null, 0, options));
        feeds.Record(0, 1000, temperatureC: 44, itWatts: 1.1e6, facilityWatts: 1.65e6, modelledItWatts: 1e6);
        var fresh = feeds.Compose(0, false, null, 1600, options)!;
        Assert.Equal(44, fresh.TemperatureC);
        Assert.Equal(1.5, fresh.Pue!.Value, 9);
        Assert.Equal(1e5, fresh.ExtraItWatts, 6);
        Assert.Equal(0, fresh.TemperatureOffsetC);
        var stale = feeds.Compose(0, false, null, 1601, options)!;
        Assert.Null(stale.TemperatureC);
        Assert.Null(stale.Pue);
        Assert.Equal(0, stale.ExtraItWatts);
        Assert.Equal(3, stale.TemperatureOffsetC);
        Assert.Equal(FeedSources.Stale, SiteFeeds.Source(feeds.Temperature(0), 1601, 600));
        var forced = feeds.Compose(0, true, new OverrideValues(TemperatureC: 30, ItCapWatts: 9e5), 1200, options)!;
        Assert.Equal(30, forced.TemperatureC);
        Assert.Null(forced.Pue); // an operator's temperature sets PUE(T), not the measured ratio
        Assert.Equal(9e5, forced.ItCapWatts);
        Assert.True(forced.Down);
    }
}
