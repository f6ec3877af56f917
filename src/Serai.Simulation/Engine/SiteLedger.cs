using Serai.Core.State;

namespace Serai.Simulation.Engine;

/// <summary>
/// Each site's conditions this hour (refreshed at hour ticks and scenario steps) and running integrals of
/// PUE × carbon intensity and PUE × price over time, so a job's carbon and cost are a difference of two marks.
/// </summary>
public sealed class SiteLedger
{
    private readonly SiteConditions[] _current;
    private readonly double[] _carbonMark;
    private readonly double[] _priceMark;

    public SiteLedger(int sites)
    {
        _current = new SiteConditions[sites];
        _carbonMark = new double[sites];
        _priceMark = new double[sites];
    }

    public int Sites => _current.Length;

    /// <summary>Environment of the site this hour; its ItWatts is as of the last refresh, read power from the state.</summary>
    public SiteConditions Current(int site) => _current[site];

    /// <summary>∫ PUE·gCO2/kWh dt in (g/kWh)·s: a job drawing W watts emits W / 3.6e6 × (difference) grams.</summary>
    public double CarbonMark(int site) => _carbonMark[site];

    /// <summary>∫ PUE·USD/kWh dt in (USD/kWh)·s.</summary>
    public double PriceMark(int site) => _priceMark[site];

    public void Refresh(HubState state, long nowUnix)
    {
        for (var s = 0; s < _current.Length; s++)
        {
            _current[s] = state.Conditions(s, nowUnix);
        }
    }

    public void Advance(long seconds)
    {
        for (var s = 0; s < _current.Length; s++)
        {
            var c = _current[s];
            _carbonMark[s] += c.Pue * c.CarbonGPerKwh * seconds;
            _priceMark[s] += c.Pue * c.PriceUsdPerKwh * seconds;
        }
    }
}
