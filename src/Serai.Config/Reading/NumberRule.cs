using System.Globalization;

namespace Serai.Config.Reading;

/// <summary>What a number in the config may be: bounds (inclusive unless said otherwise) and the unit for messages.</summary>
internal sealed record NumberRule(double Min, double Max, bool MinExclusive, string Unit)
{
    public static NumberRule Positive(string unit) => new(0, double.PositiveInfinity, true, unit);

    public static NumberRule AtLeast(double min, string unit) => new(min, double.PositiveInfinity, false, unit);

    public static NumberRule Between(double min, double max, string unit) => new(min, max, false, unit);

    public bool Accepts(double value) =>
        double.IsFinite(value) && (MinExclusive ? value > Min : value >= Min) && value <= Max;

    public string Allowed
    {
        get
        {
            var unit = Unit.Length == 0 ? "" : $" ({Unit})";
            if (double.IsPositiveInfinity(Max))
            {
                return $"a number {(MinExclusive ? ">" : "≥")} {Format(Min)}{unit}";
            }
            return $"a number {(MinExclusive ? ">" : "from")} {Format(Min)} to {Format(Max)}{unit}";
        }
    }

    public static bool TryParse(string? text, out double value) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out value) && double.IsFinite(value);

    public static string Format(double value) => value.ToString("0.###", CultureInfo.InvariantCulture);
}
