namespace Serai.Config.Tests;

public class BrokenFieldTests
{
    /// <summary>case, text to find, its replacement, text on the expected line, field, value, a fragment of what is allowed.</summary>
    public static TheoryData<string, string, string, string, string, string, string> Cases => new()
    {
        { "missing", "    gridMw: 3\n", "", "name: kz-astana", "sites[0].gridMw", "(missing)", "a number > 0 (MW" },
        { "wrong type", "gridMw: 3", "gridMw: three", "gridMw: three", "sites[0].gridMw", "three", "a number > 0" },
        { "a list where a number goes", "gridMw: 3", "gridMw: [3]", "gridMw: [3]", "sites[0].gridMw", "(a list)", "a number > 0" },
        { "negative", "nodes: 16", "nodes: -4", "nodes: -4", "sites[0].pools[0].nodes", "-4", "an integer from 1" },
        { "gpus per node out of range", "gpusPerNode: 8", "gpusPerNode: 65", "gpusPerNode: 65", "sites[0].pools[0].gpusPerNode", "65", "an integer from 1 to 64" },
        { "unknown accelerator", "accelerator: H200", "accelerator: H300", "accelerator: H300", "sites[0].pools[0].accelerator", "H300", "H200" },
        { "unknown key", "    country: KZ\n", "    country: KZ\n    colour: blue\n", "colour: blue", "sites[0].colour", "unknown key 'colour'", "gridMw" },
        { "unknown top-level key", "links:", "extra: 1\nlinks:", "extra: 1", "extra", "unknown key 'extra'", "aiSystems" },
        { "bad priority class", "[emergency, high, normal]", "[emergency, urgent]", "urgent", "tenants[0].priorityClasses[1]", "urgent", "emergency, high, normal, low, preemptible" },
        { "guarantee above capacity", "{H200: 64}", "{H200: 200}", "{H200: 200}", "tenants[0].guaranteedGpus.H200", "200", "128 H200" },
        { "guarantee of a model without GPUs", "{H200: 64}", "{B200: 8}", "{B200: 8}", "tenants[0].guaranteedGpus.B200", "8", "0 B200" },
        { "guarantee of an unknown model", "{H200: 64}", "{H900: 8}", "{H900: 8}", "tenants[0].guaranteedGpus.H900", "H900", "MI300X" },
        { "IT cap above grid", "itCapMw: 2", "itCapMw: 5", "itCapMw: 5", "sites[0].itCapMw", "5", "at most gridMw (3 MW)" },
        { "eleven monthly means", ", -5, -11]", ", -5]", "-5]", "sites[0].climate.monthlyMeanC", "11 values", "a list of 12 numbers" },
        { "bad daily range", "dailyRangeC: 10", "dailyRangeC: -1", "dailyRangeC: -1", "sites[0].climate.dailyRangeC", "-1", "from 0 to 40" },
        { "climate missing", "    climate:\n      monthlyMeanC: [3, 6, 12, 19, 25, 30, 31, 29, 23, 16, 10, 5]\n", "", "name: uz-termez", "sites[1].climate", "(missing)", "temperatureFile" },
        { "duplicate tenant", "name: startups", "name: emergencies", "  - name: emergencies\n    borrow", "tenants[1].name", "emergencies", "already defined at line" },
        { "duplicate pool in a site", "name: mi300x", "name: mi300x\n        accelerator: MI300X\n        nodes: 1\n        gpusPerNode: 8\n      - name: mi300x", "name: mi300x\n        accelerator: MI300X\n        nodes: 8", "sites[1].pools[1].name", "mi300x", "already defined" },
        { "unknown dataset owner", "owner: emergencies", "owner: nobody", "owner: nobody", "datasets[0].owner", "nobody", "emergencies, startups" },
        { "unknown link site", "to: uz-termez", "to: uz-bukhara", "to: uz-bukhara", "links[0].to", "uz-bukhara", "kz-astana, uz-termez" },
        { "link to itself", "to: uz-termez", "to: kz-astana", "to: kz-astana", "links[0].to", "kz-astana", "a site other than 'from'" },
        { "bad country code", "country: UZ", "country: Uzbekistan", "country: Uzbekistan", "sites[1].country", "Uzbekistan", "ISO 3166-1 alpha-2" },
        { "country without a site", "allowedCountries: [KZ]\n    priority", "allowedCountries: [KG]\n    priority", "[KG]", "tenants[0].allowedCountries[0]", "KG", "KZ, UZ" },
        { "empty country list", "allowedCountries: [KZ]\n    priority", "allowedCountries: []\n    priority", "allowedCountries: []", "tenants[0].allowedCountries", "(an empty list)", "leave the key out" },
        { "dataset homed outside its countries", "allowedCountries: [KZ]\naiSystems", "allowedCountries: [UZ]\naiSystems", "homeSite: kz-astana", "datasets[0].homeSite", "kz-astana (in KZ)", "(UZ)" },
        { "bad risk class", "risk: high", "risk: extreme", "risk: extreme", "aiSystems[0].risk", "extreme", "minimal, medium, high" },
        { "bad boolean", "approved: true", "approved: maybe", "approved: maybe", "aiSystems[0].approved", "maybe", "true or false" },
        { "jobs run as root", "borrowLimitGpus: 64", "borrowLimitGpus: 64\n    runAs: root", "runAs: root", "tenants[1].runAs", "root", "not root" },
        { "jobs run as a bad user name", "borrowLimitGpus: 64", "borrowLimitGpus: 64\n    runAs: \"x; rm\"", "runAs:", "tenants[1].runAs", "x; rm", "a user name of the machine" },
        { "dataset granted to its owner", "    owner: emergencies\n", "    owner: emergencies\n    grants: [{tenant: emergencies, purpose: x}]\n", "grants:", "datasets[0].grants[0].tenant", "emergencies", "other than the owner" },
        { "dataset granted to an unknown tenant", "    owner: emergencies\n", "    owner: emergencies\n    grants: [{tenant: nobody, purpose: x}]\n", "grants:", "datasets[0].grants[0].tenant", "nobody", "emergencies, startups" },
        { "dataset grant without a purpose", "    owner: emergencies\n", "    owner: emergencies\n    grants: [{tenant: startups}]\n", "grants:", "datasets[0].grants[0].purpose", "(missing)", "why the tenant may use" },
        { "fractional GPUs", "borrowLimitGpus: 64", "borrowLimitGpus: 1.5", "borrowLimitGpus: 1.5", "tenants[1].borrowLimitGpus", "1.5", "an integer ≥ 0" },
        { "overhead above 1", "freeCoolingBelowC: 17", "fanOverhead: 1.5", "fanOverhead: 1.5", "sites[0].cooling.fanOverhead", "1.5", "from 0 to 1 (fraction of IT power)" },
        { "bad peak hours", "peakHours: \"08-22\"", "peakHours: \"22-08\"", "peakHours", "sites[0].price.peakHours", "22-08", "HH-HH" },
        { "pools not a list", "    pools:\n      - name: mi300x\n        accelerator: MI300X\n        nodes: 8\n        gpusPerNode: 8\n", "    pools: many\n", "pools: many", "sites[1].pools", "many", "a list of node pools" },
        { "duplicate link", "latencyMs: 10\n", "latencyMs: 10\n  - from: uz-termez\n    to: kz-astana\n    bandwidthGbps: 10\n    latencyMs: 12\n", "from: uz-termez", "links[1]", "uz-termez - kz-astana", "already linked at line" },
        { "YAML syntax error", "  name: test", "  name: [test", "name: [test", "(yaml syntax)", "", "well-formed YAML" },
        { "bad site name", "name: kz-astana", "name: kz astana!", "kz astana!", "sites[0].name", "kz astana!", "letters, digits" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void One_broken_field_gives_one_error_naming_line_field_value_and_what_is_allowed(
        string caseName, string find, string replace, string lineMarker, string field, string value, string allowed)
    {
        var text = BaseHub.With(find, replace);
        var result = HubConfigLoader.Load(text, "hub.yaml");

        Assert.Null(result.Hub);
        var error = Assert.Single(result.Errors);
        Assert.True(error.Field == field, $"{caseName}: field {error.Field}, expected {field}; {error}");
        Assert.Equal(BaseHub.LineOf(text, lineMarker), error.Line);
        Assert.Contains(value, error.Value, StringComparison.Ordinal);
        Assert.Contains(allowed, error.Allowed, StringComparison.Ordinal);
        Assert.StartsWith($"hub.yaml:{error.Line}:{error.Column}: {field}: ", error.ToString(), StringComparison.Ordinal);
        Assert.Contains(" — allowed: ", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void The_base_hub_is_valid() => Assert.Empty(HubConfigLoader.Load(BaseHub.Text, "hub.yaml").Errors);

    [Fact]
    public void Several_mistakes_are_all_reported_in_one_pass_in_line_order()
    {
        var text = BaseHub.Text.Replace("gridMw: 3", "gridMw: -3", StringComparison.Ordinal)
            .Replace("risk: high", "risk: extreme", StringComparison.Ordinal)
            .Replace("nodes: 8", "nodes: zero", StringComparison.Ordinal);
        var errors = HubConfigLoader.Load(text, "hub.yaml").Errors;

        Assert.Equal(["sites[0].gridMw", "sites[1].pools[0].nodes", "aiSystems[0].risk"], errors.Select(e => e.Field));
        Assert.Equal(errors.OrderBy(e => e.Line).Select(e => e.Line), errors.Select(e => e.Line));
    }

    [Fact]
    public void A_hub_without_sites_is_one_error()
    {
        var error = Assert.Single(HubConfigLoader.Load("hub: {name: empty}\nsites: []\ntenants: [{name: t}]\n", "hub.yaml").Errors);
        Assert.Equal(("sites", 2), (error.Field, error.Line));
    }

    [Fact]
    public void An_empty_file_is_one_error()
    {
        var error = Assert.Single(HubConfigLoader.Load("", "empty.yaml").Errors);
        Assert.Contains("exactly one document", error.Allowed, StringComparison.Ordinal);
    }

    [Fact]
    public void A_missing_file_is_one_error_not_an_exception()
    {
        var error = Assert.Single(HubConfigLoader.LoadFile("/nonexistent/hub.yaml").Errors);
        Assert.Equal("/nonexistent/hub.yaml", error.File);
    }
}
