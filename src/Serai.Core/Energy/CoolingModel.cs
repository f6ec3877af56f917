namespace Serai.Core.Energy;

/// <summary>
/// Facility overhead as a function of outdoor dry-bulb temperature. Below <see cref="FreeCoolingBelowC"/> an air-side
/// economiser cools for the price of fans; above it (after a blend range where both run) chillers run with the
/// RenewIT COP(T) curve. PUE = 1 + fans + UPS + other + chiller share / COP(T). The plant removes at most
/// <see cref="CapacityWatts"/> of heat, derated above <see cref="DerateAboveC"/>.
/// </summary>
public sealed record CoolingModel(
    double FreeCoolingBelowC,
    double BlendRangeC,
    double FanOverheadFraction,
    double UpsLossFraction,
    double OtherOverheadFraction,
    double[] CopCoefficients,
    double CapacityWatts,
    double DerateAboveC,
    double DeratePerC)
{
    /// <summary>RenewIT chiller-plant COP(T) = a·T³ + b·T² + c·T + d (FACTS.md).</summary>
    public static readonly double[] RenewItCop = [1.08201e-5, -8.05206e-4, -0.0622451, 5.82023];

    public const double MinimumCop = 1.0;

    public double Cop(double outdoorC)
    {
        var c = CopCoefficients;
        var t = outdoorC;
        return Math.Max(MinimumCop, ((c[0] * t + c[1]) * t + c[2]) * t + c[3]);
    }

    /// <summary>Share of the heat removed by chillers: 0 with free cooling, 1 above the blend range.</summary>
    public double ChillerShare(double outdoorC)
    {
        if (outdoorC <= FreeCoolingBelowC)
        {
            return 0;
        }
        if (BlendRangeC <= 0 || outdoorC >= FreeCoolingBelowC + BlendRangeC)
        {
            return 1;
        }
        return (outdoorC - FreeCoolingBelowC) / BlendRangeC;
    }

    public double Pue(double outdoorC) =>
        1 + FanOverheadFraction + UpsLossFraction + OtherOverheadFraction + ChillerShare(outdoorC) / Cop(outdoorC);

    /// <summary>Heat the plant can remove at this temperature, in IT watts.</summary>
    public double CapacityAt(double outdoorC) =>
        CapacityWatts * Math.Clamp(1 - Math.Max(0, outdoorC - DerateAboveC) * DeratePerC, 0, 1);
}
