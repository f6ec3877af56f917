using Serai.Core.State;

namespace Serai.Simulation.Engine;

/// <summary>Composes the scenario effects active at each site (heat offsets add, grid caps take the lowest, outages) into one override.</summary>
internal sealed class OverrideBook(int sites)
{
    private readonly double[] _offsetC = new double[sites];
    private readonly List<double>?[] _caps = new List<double>?[sites];
    private readonly int[] _down = new int[sites];

    public void AddOffset(int site, double deltaC) => _offsetC[site] += deltaC;

    public void AddCap(int site, double itCapWatts) => (_caps[site] ??= []).Add(itCapWatts);

    public void RemoveCap(int site, double itCapWatts) => _caps[site]?.Remove(itCapWatts);

    public void SetDown(int site, bool down) => _down[site] += down ? 1 : -1;

    public SiteOverride? For(int site)
    {
        var caps = _caps[site];
        double? cap = caps is { Count: > 0 } ? caps.Min() : null;
        var offset = _offsetC[site];
        var down = _down[site] > 0;
        return cap is null && Math.Abs(offset) < 1e-12 && !down ? null : new SiteOverride(ItCapWatts: cap, TemperatureOffsetC: offset, Down: down);
    }
}
