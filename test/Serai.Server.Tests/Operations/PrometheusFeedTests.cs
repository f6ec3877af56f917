using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Serai.Server.Operations;

namespace Serai.Server.Tests.Operations;

/// <summary>A site's own Prometheus endpoint, scraped by the server, feeds its measured conditions like the conditions API does.</summary>
public sealed class PrometheusFeedTests : IDisposable
{
    private readonly string _directory = TestDatabases.NewDirectory();

    public void Dispose() => TestDatabases.Remove(_directory);

    private const string Exposition = """
        # HELP bms_outdoor_temperature_celsius Outdoor air at the chillers' intake.
        # TYPE bms_outdoor_temperature_celsius gauge
        bms_outdoor_temperature_celsius{site="termez",sensor="north"} 44
        bms_outdoor_temperature_celsius{site="termez",sensor="south"} 46
        bms_outdoor_temperature_celsius{site="almaty",sensor="north"} 12
        # TYPE pdu_power_kilowatts gauge
        pdu_power_kilowatts{site="termez",pdu="a",kind="it"} 300.5
        pdu_power_kilowatts{site="termez",pdu="b",kind="it"} 299.5
        pdu_power_kilowatts{site="termez",feeder="main",kind="facility"} NaN
        this line is not a sample
        """;

    [Fact]
    public void The_text_format_gives_names_labels_values_and_times_and_a_selector_matches_by_its_labels()
    {
        var (samples, bad) = PrometheusText.Parse(Exposition + "\nescaped{path=\"a\\\"b\\\\c\",} 1e3 1782900000000\n");
        Assert.Equal(1, bad);
        Assert.Equal(7, samples.Count);
        Assert.Null(samples[4].TimestampMs);
        Assert.Equal(1782900000000, samples[6].TimestampMs);
        Assert.True(double.IsNaN(samples[5].Value));
        Assert.Equal("a\"b\\c", samples[6].Labels["path"]);
        Assert.Equal(1000, samples[6].Value);

        var termez = MetricSelector.Parse("bms_outdoor_temperature_celsius{site=\"termez\"}", out var error)!;
        Assert.Null(error);
        Assert.Equal([44.0, 46.0], samples.Where(termez.Matches).Select(s => s.Value));
        Assert.Null(MetricSelector.Parse("9lives", out error));
        Assert.StartsWith("'9lives' does not start with a metric name", error, StringComparison.Ordinal);
        Assert.Null(MetricSelector.Parse("m{site=termez}", out error));
        Assert.Equal("'m{site=termez}': labels must be written {label=\"value\",...}", error);
    }

    [Theory]
    [InlineData("Sites:nowhere:Url", "http://127.0.0.1:1/metrics", "Serai:Operations:Prometheus:Sites:nowhere: 'nowhere' is not a site of this hub; allowed: termez")]
    [InlineData("Sites:termez:Url", "file:///etc/passwd", "Serai:Operations:Prometheus:Sites:termez:Url: 'file:///etc/passwd' is not an http or https URL")]
    [InlineData("Sites:termez:TemperatureMetric", "temp{site=", "Serai:Operations:Prometheus:Sites:termez:TemperatureMetric: 'temp{site=': labels must be written")]
    [InlineData("IntervalSeconds", "0", "Serai:Operations:Prometheus:IntervalSeconds: 0 is not allowed; give 0.1 to 86400 seconds")]
    public void A_wrong_scrape_setting_is_refused_with_its_key_and_what_is_allowed(string key, string value, string message)
    {
        var options = new PrometheusFeedOptions();
        var site = new PrometheusSiteFeed { Url = "http://127.0.0.1:1/metrics", TemperatureMetric = "t" };
        options.Sites[key.StartsWith("Sites:nowhere", StringComparison.Ordinal) ? "nowhere" : "termez"] = site;
        switch (key)
        {
            case "Sites:termez:Url":
                site.Url = value;
                break;
            case "Sites:termez:TemperatureMetric":
                site.TemperatureMetric = value;
                break;
            case "IntervalSeconds":
                options.IntervalSeconds = double.Parse(value, System.Globalization.CultureInfo.InvariantCulture);
                break;
        }
        var error = Assert.Throws<InvalidOperationException>(() => PrometheusFeeds.Check(options, ["termez"]));
        Assert.StartsWith(message, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_scraped_temperature_and_IT_power_become_the_sites_measured_figures_and_go_stale_when_the_endpoint_fails()
    {
        var exposition = Exposition;
        var status = HttpStatusCode.OK;
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        await using var bms = builder.Build();
        bms.MapGet("/metrics", () => status == HttpStatusCode.OK ? Results.Text(exposition, "text/plain; version=0.0.4") : Results.StatusCode((int)status));
        await bms.StartAsync();
        var settings = new Dictionary<string, string>
        {
            ["Serai:Operations:FeedStaleSeconds"] = "2",
            ["Serai:Operations:Prometheus:IntervalSeconds"] = "0.5",
            ["Serai:Operations:Prometheus:Sites:termez:Url"] = bms.Urls.First() + "/metrics",
            ["Serai:Operations:Prometheus:Sites:termez:TemperatureMetric"] = "bms_outdoor_temperature_celsius{site=\"termez\"}",
            ["Serai:Operations:Prometheus:Sites:termez:ItPowerMetric"] = "pdu_power_kilowatts{site=\"termez\",kind=\"it\"}",
            ["Serai:Operations:Prometheus:Sites:termez:FacilityPowerMetric"] = "pdu_power_kilowatts{site=\"termez\",kind=\"facility\"}",
            ["Serai:Operations:Prometheus:Sites:termez:WattsPerUnit"] = "1000",
        };
        await using var server = await SiteOperationsTests.StartAsync(_directory, OpsHubs.Termez(), settings);
        var admin = server.Client(SeraiFactory.AdminToken);
        System.Text.Json.JsonElement site = default;
        await LocalExecutionTests.WaitUntilAsync(async () =>
        {
            site = await SiteOperationsTests.SiteAsync(admin, "termez");
            return site.GetProperty("sources").GetProperty("temperature").GetString() == "measured";
        }, seconds: 10, what: "a scrape of the site's endpoint");
        // the mean of the site's two sensors; the sum of its two IT PDUs in watts; the facility meter's NaN is no figure
        Assert.Equal(45, site.GetProperty("outdoorTemperatureC").GetDouble(), 3);
        Assert.Equal("measured", site.GetProperty("sources").GetProperty("itPower").GetString());
        Assert.Equal(600_000, site.GetProperty("sources").GetProperty("measuredItWatts").GetDouble(), 3);
        Assert.Equal("modelled", site.GetProperty("sources").GetProperty("facilityPower").GetString());

        status = HttpStatusCode.InternalServerError;
        await LocalExecutionTests.WaitUntilAsync(async () =>
            (await SiteOperationsTests.SiteAsync(admin, "termez")).GetProperty("sources").GetProperty("temperature").GetString() == "stale",
            seconds: 10, what: "the figures to go stale once the endpoint fails");
        var stale = await SiteOperationsTests.SiteAsync(admin, "termez");
        Assert.Equal(20 + 3, stale.GetProperty("outdoorTemperatureC").GetDouble(), 3);

        // a sensor reporting nonsense is not believed
        exposition = "bms_outdoor_temperature_celsius{site=\"termez\"} 480\n";
        status = HttpStatusCode.OK;
        await Task.Delay(1500);
        Assert.Equal("stale", (await SiteOperationsTests.SiteAsync(admin, "termez")).GetProperty("sources").GetProperty("temperature").GetString());
    }
}
