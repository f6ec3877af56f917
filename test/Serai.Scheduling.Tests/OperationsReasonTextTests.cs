using Serai.Scheduling.Tests.Support;

namespace Serai.Scheduling.Tests;

/// <summary>Reason sentences that live site operations changed.</summary>
public class OperationsReasonTextTests
{
    [Fact]
    public void A_closed_pool_names_drains_as_well_as_vendor_cut_offs()
    {
        var hub = TestHub.Build();
        Assert.Equal("kz-astana/h200 takes no new work: its vendor is cut off, or an operator drained it or its site",
            new Reason(ReasonCode.PoolClosed, "pool-open", TestHub.H200Pool).Describe(hub));
    }
}
