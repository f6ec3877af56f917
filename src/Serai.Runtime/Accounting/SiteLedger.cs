using Serai.Core.State;

namespace Serai.Runtime.Accounting;

/// <summary>
/// Each site's conditions this hour (refreshed when the hour turns and when an override changes) and running
/// integrals over time of PUE, PUE × carbon intensity and PUE × price, so that a job's facility energy, carbon and
/// cost over any stretch are a difference of two marks: hour by hour, at the conditions of each hour.
/// </summary>
public sealed class SiteLedger
{
    private readonly SiteConditions[] _current;
    private readonly double[] _pueMark;
    private readonly double[] _carbonMark;
    private readonly double[] _priceMark;
    private readonly List<MonthMarks> _months = [];

    public SiteLedger(int sites)
    {
        _current = new SiteConditions[sites];
        _pueMark = new double[sites];
        _carbonMark = new double[sites];
        _priceMark = new double[sites];
    }

    public int Sites => _current.Length;

    /// <summary>Environment of the site this hour; its ItWatts is as of the last refresh, read power from the state.</summary>
    public SiteConditions Current(int site) => _current[site];

    /// <summary>∫ PUE dt in seconds: a job drawing W watts of IT power uses W × (difference) joules at the meter.</summary>
    public double PueMark(int site) => _pueMark[site];

    /// <summary>∫ PUE·gCO2/kWh dt in (g/kWh)·s: a job drawing W watts emits W / 3.6e6 × (difference) grams.</summary>
    public double CarbonMark(int site) => _carbonMark[site];

    /// <summary>∫ PUE·USD/kWh dt in (USD/kWh)·s.</summary>
    public double PriceMark(int site) => _priceMark[site];

    /// <summary>The marks at each month boundary the clock passed (and at the start), oldest first.</summary>
    public IReadOnlyList<MonthMarks> Months => _months;

    /// <summary>Remembers the marks at a month boundary, where usage stretches are split.</summary>
    public void MarkMonth(long atUnix) =>
        _months.Add(new MonthMarks(atUnix, (double[])_pueMark.Clone(), (double[])_carbonMark.Clone(), (double[])_priceMark.Clone()));

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
            _pueMark[s] += c.Pue * seconds;
            _carbonMark[s] += c.Pue * c.CarbonGPerKwh * seconds;
            _priceMark[s] += c.Pue * c.PriceUsdPerKwh * seconds;
        }
    }

    /// <summary>
    /// The three integrals over [from, to) computed hour by hour from the site's series with the state's current
    /// overrides: what the marks would have gained meanwhile (used for a stretch that began before a restart).
    /// </summary>
    public static (double Pue, double Carbon, double Price) Integrate(HubState state, int site, long fromUnix, long toUnix)
    {
        double pue = 0, carbon = 0, price = 0;
        var t = fromUnix;
        while (t < toUnix)
        {
            var next = Math.Min(toUnix, (t / 3600 + 1) * 3600);
            var c = state.Conditions(site, t);
            var dt = next - t;
            pue += c.Pue * dt;
            carbon += c.Pue * c.CarbonGPerKwh * dt;
            price += c.Pue * c.PriceUsdPerKwh * dt;
            t = next;
        }
        return (pue, carbon, price);
    }
}

/// <summary>Every site's marks at one month boundary.</summary>
public sealed record MonthMarks(long AtUnix, double[] Pue, double[] Carbon, double[] Price);
