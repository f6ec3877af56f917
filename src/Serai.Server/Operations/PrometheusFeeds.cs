using System.Globalization;
using Serai.Server.Control;

namespace Serai.Server.Operations;

/// <summary>Sites whose building-management or power metrics the server scrapes from a Prometheus endpoint they already have.</summary>
public sealed class PrometheusFeedOptions
{
    public const string Section = "Serai:Operations:Prometheus";

    /// <summary>Seconds between scrapes of each site (Prometheus' own default is 60; BMS figures change within minutes).</summary>
    public double IntervalSeconds { get; set; } = 15;

    /// <summary>A scrape that takes longer is abandoned (and the figures go stale if it keeps failing).</summary>
    public double TimeoutSeconds { get; set; } = 5;

    /// <summary>By site name, as the hub names it.</summary>
    public Dictionary<string, PrometheusSiteFeed> Sites { get; set; } = new(StringComparer.OrdinalIgnoreCase);
}

/// <summary>
/// One site's endpoint and the metrics to read (PromQL selectors without operators, e.g.
/// <c>bms_outdoor_temperature_celsius{site="termez"}</c>): the temperature is the mean of the matching samples, each
/// power the sum (one sample per PDU or feeder adds up to the site), times <see cref="WattsPerUnit"/>.
/// </summary>
public sealed class PrometheusSiteFeed
{
    public string? Url { get; set; }
    public string? TemperatureMetric { get; set; }
    public string? ItPowerMetric { get; set; }
    public string? FacilityPowerMetric { get; set; }

    /// <summary>Watts per unit of the power metrics: 1 for watts (Prometheus' base unit), 1000 for kW.</summary>
    public double WattsPerUnit { get; set; } = 1;
}

/// <summary>
/// Scrapes each configured site's Prometheus endpoint and feeds what it reads into the same path as
/// <c>POST /sites/{site}/conditions</c>. What a site exposes is not trusted: figures outside the API's ranges are
/// dropped with a warning, a facility power below the IT power drops both, and a failing endpoint simply stops feeding,
/// so the site's figures go stale and the model takes over with its safety margin.
/// </summary>
public sealed partial class PrometheusFeeds : BackgroundService
{
    private const long MaxResponseBytes = 8 * 1024 * 1024;

    private readonly IReadOnlyList<ScrapedSite> _sites;
    private readonly PrometheusFeedOptions _options;
    private readonly OperationsService _operations;
    private readonly TimeProvider _time;
    private readonly ILogger<PrometheusFeeds> _logger;
    private readonly HttpClient _http;

    /// <summary>A site to scrape, its options checked.</summary>
    public sealed record ScrapedSite(int Site, string Name, Uri Url, MetricSelector? Temperature, MetricSelector? ItPower, MetricSelector? FacilityPower, double WattsPerUnit)
    {
        public bool Failing { get; set; }
    }

    public PrometheusFeeds(PrometheusFeedOptions options, HubHolder hubs, OperationsService operations, TimeProvider time, ILogger<PrometheusFeeds> logger)
    {
        _options = options;
        _operations = operations;
        _time = time;
        _logger = logger;
        _sites = Check(options, hubs.Hub.Sites.Select(s => s.Name).ToList());
        _http = new HttpClient { Timeout = TimeSpan.FromSeconds(options.TimeoutSeconds), MaxResponseContentBufferSize = MaxResponseBytes };
    }

    /// <summary>The sites to scrape; a setting that is wrong stops the server's start with its key, value and what is allowed.</summary>
    public static IReadOnlyList<ScrapedSite> Check(PrometheusFeedOptions options, IReadOnlyList<string> siteNames)
    {
        const string prefix = PrometheusFeedOptions.Section;
        if (options.Sites.Count > 0 && options.IntervalSeconds is not (>= 0.1 and <= 86400))
        {
            throw new InvalidOperationException($"{prefix}:IntervalSeconds: {options.IntervalSeconds.ToString(CultureInfo.InvariantCulture)} is not allowed; give 0.1 to 86400 seconds");
        }
        if (options.Sites.Count > 0 && options.TimeoutSeconds is not (>= 0.1 and <= 300))
        {
            throw new InvalidOperationException($"{prefix}:TimeoutSeconds: {options.TimeoutSeconds.ToString(CultureInfo.InvariantCulture)} is not allowed; give 0.1 to 300 seconds");
        }
        var sites = new List<ScrapedSite>();
        foreach (var (name, feed) in options.Sites)
        {
            var key = $"{prefix}:Sites:{name}";
            var index = siteNames.ToList().FindIndex(s => s.Equals(name, StringComparison.OrdinalIgnoreCase));
            if (index < 0)
            {
                throw new InvalidOperationException($"{key}: '{name}' is not a site of this hub; allowed: {string.Join(", ", siteNames)}");
            }
            if (!Uri.TryCreate(feed.Url, UriKind.Absolute, out var url) || url.Scheme is not ("http" or "https"))
            {
                throw new InvalidOperationException($"{key}:Url: '{feed.Url}' is not an http or https URL (e.g. http://bms.termez.example:9100/metrics)");
            }
            MetricSelector? Selector(string field, string? text)
            {
                if (string.IsNullOrWhiteSpace(text))
                {
                    return null;
                }
                return MetricSelector.Parse(text, out var error) ?? throw new InvalidOperationException($"{key}:{field}: {error}");
            }
            var site = new ScrapedSite(index, siteNames[index], url, Selector("TemperatureMetric", feed.TemperatureMetric),
                Selector("ItPowerMetric", feed.ItPowerMetric), Selector("FacilityPowerMetric", feed.FacilityPowerMetric), feed.WattsPerUnit);
            if (site.Temperature is null && site.ItPower is null && site.FacilityPower is null)
            {
                throw new InvalidOperationException($"{key}: name at least one of TemperatureMetric, ItPowerMetric, FacilityPowerMetric");
            }
            if (feed.WattsPerUnit is not (> 0 and <= 1e9))
            {
                throw new InvalidOperationException($"{key}:WattsPerUnit: {feed.WattsPerUnit.ToString(CultureInfo.InvariantCulture)} is not allowed; give a positive number (1 for W, 1000 for kW)");
            }
            sites.Add(site);
        }
        return sites;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (_sites.Count == 0)
        {
            return;
        }
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(_options.IntervalSeconds), _time);
        do
        {
            foreach (var site in _sites)
            {
                await ScrapeAsync(site, stoppingToken).ConfigureAwait(false);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
    }

    /// <summary>One scrape of one site; never throws for what the endpoint does.</summary>
    public async Task ScrapeAsync(ScrapedSite site, CancellationToken cancellationToken)
    {
        string text;
        try
        {
            text = await _http.GetStringAsync(site.Url, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or InvalidOperationException && !cancellationToken.IsCancellationRequested)
        {
            Failed(site, e.Message);
            return;
        }
        var (samples, _) = PrometheusText.Parse(text);
        var now = _time.GetUtcNow().ToUnixTimeSeconds();
        var (temperature, tAt) = Read(samples, site.Temperature, mean: true, 1);
        var (it, itAt) = Read(samples, site.ItPower, mean: false, site.WattsPerUnit);
        var (facility, fAt) = Read(samples, site.FacilityPower, mean: false, site.WattsPerUnit);
        var problems = new List<string>();
        temperature = InRange(temperature, SiteFigureRanges.MinTemperatureC, SiteFigureRanges.MaxTemperatureC, "temperature", "°C", problems);
        it = InRange(it, 0, SiteFigureRanges.MaxWatts, "IT power", "W", problems);
        facility = InRange(facility, 0, SiteFigureRanges.MaxWatts, "facility power", "W", problems);
        if (it is { } i && facility is { } f && f < i)
        {
            problems.Add($"facility power {f} W is below IT power {i} W");
            (it, facility) = (null, null);
        }
        if (temperature is null && it is null && facility is null)
        {
            Failed(site, problems.Count > 0 ? string.Join("; ", problems) : "no sample matched the configured metrics");
            return;
        }
        if (problems.Count > 0)
        {
            LogDropped(_logger, site.Name, string.Join("; ", problems));
        }
        // each figure keeps its own time: a sample's timestamp where the endpoint gives one, else the scrape's
        var figures = new[] { (At: tAt, Kind: 0, Value: temperature), (At: itAt, Kind: 1, Value: it), (At: fAt, Kind: 2, Value: facility) }
            .Where(x => x.Value is not null).GroupBy(x => Math.Min(x.At ?? now, now));
        foreach (var group in figures)
        {
            double? Of(int kind) => group.FirstOrDefault(x => x.Kind == kind).Value;
            await _operations.RecordAsync(site.Site, group.Key, Of(0), Of(1), Of(2)).ConfigureAwait(false);
        }
        if (site.Failing)
        {
            site.Failing = false;
            LogRecovered(_logger, site.Name, site.Url);
        }
    }

    /// <summary>The mean or sum of the finite samples a selector matches, scaled, and the latest of their times (Unix s).</summary>
    private static (double? Value, long? AtUnix) Read(List<PrometheusSample> samples, MetricSelector? selector, bool mean, double scale)
    {
        if (selector is null)
        {
            return (null, null);
        }
        var matched = samples.Where(s => selector.Matches(s) && double.IsFinite(s.Value)).ToList();
        if (matched.Count == 0)
        {
            return (null, null);
        }
        var value = (mean ? matched.Average(s => s.Value) : matched.Sum(s => s.Value)) * scale;
        var at = matched.Where(s => s.TimestampMs is not null).Select(s => (long?)(s.TimestampMs!.Value / 1000)).Max();
        return (value, at);
    }

    private static double? InRange(double? value, double min, double max, string what, string unit, List<string> problems)
    {
        if (value is { } v && (v < min || v > max))
        {
            problems.Add($"{what} {v.ToString(CultureInfo.InvariantCulture)} {unit} is outside {min}..{max}");
            return null;
        }
        return value;
    }

    private void Failed(ScrapedSite site, string why)
    {
        if (!site.Failing)
        {
            site.Failing = true;
            LogFailing(_logger, site.Name, site.Url, why);
        }
    }

    public override void Dispose()
    {
        _http.Dispose();
        base.Dispose();
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "site {Site}: scraping {Url} gives no usable figures ({Why}); they go stale and the model takes over")]
    private static partial void LogFailing(ILogger logger, string site, Uri url, string why);

    [LoggerMessage(Level = LogLevel.Information, Message = "site {Site}: scraping {Url} gives figures again")]
    private static partial void LogRecovered(ILogger logger, string site, Uri url);

    [LoggerMessage(Level = LogLevel.Warning, Message = "site {Site}: scraped figures dropped: {Problems}")]
    private static partial void LogDropped(ILogger logger, string site, string problems);
}
