using Serai.Simulation.Engine;

namespace Serai.Simulation.Tests.Engine;

public class EventQueueTests
{
    [Fact]
    public void Events_come_out_by_time_then_kind_then_insertion_order()
    {
        var queue = new EventQueue();
        queue.Push(20, EventKind.Completion, 1);
        queue.Push(10, EventKind.Completion, 2);
        queue.Push(10, EventKind.Completion, 3);
        queue.Push(10, EventKind.Scenario, 4);
        queue.Push(10, EventKind.Completion, 5);
        queue.Push(10, EventKind.Scenario, 6);
        var order = new List<int>();
        while (queue.Count > 0)
        {
            order.Add(queue.Pop().Subject);
        }
        Assert.Equal([4, 6, 2, 3, 5, 1], order);
    }

    [Fact]
    public void Event_keys_compare_time_first()
    {
        Assert.True(new EventKey(1, EventKind.Completion, 9) < new EventKey(2, EventKind.Scenario, 0));
        Assert.True(new EventKey(1, EventKind.Scenario, 9) < new EventKey(1, EventKind.Completion, 0));
        Assert.True(new EventKey(1, EventKind.Completion, 1) < new EventKey(1, EventKind.Completion, 2));
    }
}
