using Serai.Core.Energy;

namespace Serai.Core.Tests;

public class CoolingModelTests
{
    private static readonly CoolingModel Model = new(
        FreeCoolingBelowC: 17, BlendRangeC: 5, FanOverheadFraction: 0.04, UpsLossFraction: 0.05, OtherOverheadFraction: 0.01,
        CopCoefficients: CoolingModel.RenewItCop, CapacityWatts: 10e6, DerateAboveC: 35, DeratePerC: 0.02);

    [Theory]
    [InlineData(20, 4.3)]
    [InlineData(30, 3.5)]
    [InlineData(35, 3.1)]
    [InlineData(40, 2.7)]
    public void RenewIT_COP_matches_the_published_points(double outdoorC, double expectedCop) =>
        Assert.Equal(expectedCop, Model.Cop(outdoorC), 1);

    [Fact]
    public void Free_cooling_costs_only_fans_UPS_and_other_overhead() =>
        Assert.Equal(1.10, Model.Pue(-15), 6);

    [Fact]
    public void PUE_rises_with_outdoor_temperature_above_the_free_cooling_threshold()
    {
        var previous = Model.Pue(10);
        for (var t = 11; t <= 50; t++)
        {
            var pue = Model.Pue(t);
            Assert.True(pue >= previous - 1e-9, $"PUE fell from {previous} to {pue} at {t} °C");
            previous = pue;
        }
        Assert.InRange(Model.Pue(40), 1.4, 1.6);
    }

    [Fact]
    public void Cooling_capacity_is_derated_above_the_design_temperature()
    {
        Assert.Equal(10e6, Model.CapacityAt(30));
        Assert.Equal(10e6 * 0.9, Model.CapacityAt(40), 3);
    }
}
