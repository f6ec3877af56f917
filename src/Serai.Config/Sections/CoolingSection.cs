using Serai.Config.Reading;
using Serai.Core.Energy;

namespace Serai.Config.Sections;

/// <summary>
/// <c>cooling:</c> of a site. Every key has a default (an indirect air-side economiser with chillers on the RenewIT
/// COP curve, PUE 1.10 with free cooling), so a site may leave the whole mapping out.
/// </summary>
internal static class CoolingSection
{
    public const double DefaultFreeCoolingBelowC = 17;
    public const double DefaultBlendRangeC = 5;
    public const double DefaultFanOverhead = 0.04;
    public const double DefaultUpsLoss = 0.04;
    public const double DefaultOtherOverhead = 0.02;
    public const double DefaultDerateAboveC = 35;
    public const double DefaultDeratePerC = 0.01;

    private static readonly string[] Keys =
    [
        "freeCoolingBelowC", "blendRangeC", "fanOverhead", "upsLoss", "otherOverhead", "copCoefficients",
        "capacityMw", "derateAboveC", "deratePerC",
    ];

    public static CoolingModel? Read(MapReader site, double itCapMw)
    {
        var node = site.Get("cooling");
        var map = node is null ? null : MapReader.Open(node, site.Field("cooling"), site.Errors, Keys);
        if (node is not null && map is null)
        {
            return null;
        }
        var fraction = NumberRule.Between(0, 1, "fraction of IT power");
        var freeBelow = Number(map, "freeCoolingBelowC", NumberRule.Between(-40, 40, "°C"), DefaultFreeCoolingBelowC);
        var blend = Number(map, "blendRangeC", NumberRule.Between(0, 30, "°C"), DefaultBlendRangeC);
        var fans = Number(map, "fanOverhead", fraction, DefaultFanOverhead);
        var ups = Number(map, "upsLoss", fraction, DefaultUpsLoss);
        var other = Number(map, "otherOverhead", fraction, DefaultOtherOverhead);
        var cop = map is null ? CoolingModel.RenewItCop : map.Numbers("copCoefficients", 4,
            NumberRule.Between(-1e3, 1e3, "a, b, c, d of COP = a·T³ + b·T² + c·T + d"), allowScalar: false, CoolingModel.RenewItCop);
        var capacityMw = Number(map, "capacityMw", NumberRule.Positive("MW of IT heat the plant removes"), itCapMw);
        var derateAbove = Number(map, "derateAboveC", NumberRule.Between(-40, 60, "°C"), DefaultDerateAboveC);
        var deratePerC = Number(map, "deratePerC", NumberRule.Between(0, 1, "fraction of capacity lost per °C"), DefaultDeratePerC);
        if (freeBelow is null || blend is null || fans is null || ups is null || other is null || cop is null
            || capacityMw is null || derateAbove is null || deratePerC is null)
        {
            return null;
        }
        return new CoolingModel(freeBelow.Value, blend.Value, fans.Value, ups.Value, other.Value, cop, capacityMw.Value * 1e6,
            derateAbove.Value, deratePerC.Value);
    }

    private static double? Number(MapReader? map, string key, NumberRule rule, double fallback) =>
        map is null ? fallback : map.Number(key, rule, fallback);
}
