using System.Net;
using Serai.Core.Model;

namespace Serai.Server.Tests.Security;

/// <summary>
/// Issue 9, defect 3 (datasets): a job may name only datasets its tenant owns or was granted; an unknown and an
/// ungranted name get the same answer, which never lists names the caller may not see.
/// </summary>
public sealed class DatasetGrantTests : IAsyncLifetime
{
    private readonly string _directory = TestDatabases.NewDirectory();
    private SeraiFactory _factory = null!;

    public async Task InitializeAsync() =>
        _factory = await new SeraiFactory(TestDatabases.NewSqlite(_directory), _directory, Hub(), backend: "none").StartAsync();

    public async Task DisposeAsync()
    {
        await _factory.DisposeAsync();
        TestDatabases.Remove(_directory);
    }

    /// <summary>The small test hub with three datasets: alpha's own, beta's private one and beta's one granted to alpha.</summary>
    private static HubModel Hub()
    {
        var h = TestHubs.Small();
        Dataset[] datasets =
        [
            h.Datasets[0],
            new Dataset(1, "beta-patients", 1, 5, 0, 1),
            new Dataset(2, "beta-weather", 1, 5, 0, 1) { Grants = [new DatasetGrant(0, "flood forecasting")] },
        ];
        return new HubModel(h.Name, h.Countries, h.Stacks, h.Accelerators, h.Sites, h.Pools, h.Links, h.Tenants, datasets, h.ConfiguredAiSystems.Systems);
    }

    private static object Job(params string[] datasets) => new { command = (string[])["true"], gpus = 1, datasets };

    [Fact]
    public async Task A_tenant_may_use_its_own_datasets_and_those_granted_to_it()
    {
        var alpha = _factory.Client(SeraiFactory.AlphaToken);
        Assert.Equal(HttpStatusCode.Created, (await alpha.SubmitAsync(Job("alpha-data", "beta-weather"))).StatusCode);
        var beta = _factory.Client(SeraiFactory.BetaToken);
        Assert.Equal(HttpStatusCode.Created, (await beta.SubmitAsync(Job("beta-patients", "beta-weather"))).StatusCode);
    }

    [Fact]
    public async Task Another_tenants_dataset_that_was_not_granted_is_refused_like_an_unknown_name_without_listing_it()
    {
        var alpha = _factory.Client(SeraiFactory.AlphaToken);
        var ungranted = await alpha.SubmitAsync(Job("beta-patients"));
        var unknown = await alpha.SubmitAsync(Job("no-such-data"));
        Assert.Equal((HttpStatusCode.BadRequest, HttpStatusCode.BadRequest), (ungranted.StatusCode, unknown.StatusCode));
        var ungrantedDetail = (await ungranted.JsonAsync()).GetProperty("detail").GetString()!;
        var unknownDetail = (await unknown.JsonAsync()).GetProperty("detail").GetString()!;
        Assert.Equal(unknownDetail.Replace("no-such-data", "NAME", StringComparison.Ordinal), ungrantedDetail.Replace("beta-patients", "NAME", StringComparison.Ordinal));
        Assert.StartsWith("datasets:", unknownDetail, StringComparison.Ordinal);
        Assert.DoesNotContain("beta-patients", unknownDetail, StringComparison.Ordinal);
        Assert.Contains("alpha-data, beta-weather", unknownDetail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_admin_may_not_submit_for_a_tenant_with_a_dataset_that_tenant_may_not_use()
    {
        var admin = _factory.Client(SeraiFactory.AdminToken);
        var response = await admin.SubmitAsync(new { command = (string[])["true"], gpus = 1, tenant = "alpha", datasets = (string[])["beta-patients"] });
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task A_tenant_lists_its_own_datasets_with_their_grants_and_those_granted_to_it_with_its_own_grant()
    {
        var alpha = await (await _factory.Client(SeraiFactory.AlphaToken).GetAsync("/api/v1/datasets")).JsonAsync();
        Assert.Equal(["alpha-data", "beta-weather"], alpha.EnumerateArray().Select(d => d.GetProperty("name").GetString()));
        var granted = alpha.EnumerateArray().Single(d => d.GetProperty("name").GetString() == "beta-weather");
        Assert.Equal("beta", granted.GetProperty("owner").GetString());
        Assert.Equal("alpha: flood forecasting", string.Join(";", granted.GetProperty("grants").EnumerateArray().Select(g => $"{g.GetProperty("tenant").GetString()}: {g.GetProperty("purpose").GetString()}")));

        var beta = await (await _factory.Client(SeraiFactory.BetaToken).GetAsync("/api/v1/datasets")).JsonAsync();
        Assert.Equal(["beta-patients", "beta-weather"], beta.EnumerateArray().Select(d => d.GetProperty("name").GetString()));
        var admin = await (await _factory.Client(SeraiFactory.AdminToken).GetAsync("/api/v1/datasets")).JsonAsync();
        Assert.Equal(3, admin.GetArrayLength());
    }
}
