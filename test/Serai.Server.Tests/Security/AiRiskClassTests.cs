using System.Net;
using System.Text.Json;

namespace Serai.Server.Tests.Security;

/// <summary>
/// Issue 9, defect 3 (AI systems): a tenant that registers its own system as minimal risk cannot run it at once; the
/// class it declares waits for the admin, who confirms it or sets another (a system set to high then still needs its
/// approval, which the confirmation is). The admin's own class stands at registration.
/// </summary>
public sealed class AiRiskClassTests : IAsyncLifetime
{
    private readonly string _directory = TestDatabases.NewDirectory();
    private SeraiFactory _factory = null!;

    public async Task InitializeAsync() =>
        _factory = await new SeraiFactory(TestDatabases.NewSqlite(_directory), _directory, backend: "none").StartAsync();

    public async Task DisposeAsync()
    {
        await _factory.DisposeAsync();
        TestDatabases.Remove(_directory);
    }

    private static StringContent Body(object value) => Http.Json(JsonSerializer.Serialize(value));

    [Fact]
    public async Task A_tenants_self_declared_minimal_system_waits_for_the_admin_and_its_job_says_so()
    {
        var alpha = _factory.Client(SeraiFactory.AlphaToken);
        var registered = await (await alpha.PostAsync("/api/v1/ai-systems", Body(new { id = "alpha-bot", risk = "minimal" }))).JsonAsync();
        Assert.Equal((false, false, false), (registered.GetProperty("approved").GetBoolean(), registered.GetProperty("mayRun").GetBoolean(), registered.GetProperty("riskConfirmed").GetBoolean()));

        var job = await alpha.SubmitIdAsync(new { command = (string[])["true"], gpus = 1, aiSystem = "alpha-bot" });
        var waiting = await alpha.WaitForAsync(job, j => j.GetProperty("reason").ValueKind == JsonValueKind.String);
        Assert.Equal("pending", waiting.State());
        Assert.EndsWith("AI system alpha-bot: the risk class its tenant declared (minimal) waits for the admin's confirmation", waiting.GetProperty("reason").GetString(), StringComparison.Ordinal);

        var admin = _factory.Client(SeraiFactory.AdminToken);
        var approved = await (await admin.PostAsync("/api/v1/ai-systems/alpha-bot/approve", Body(new { risk = "medium" }))).JsonAsync();
        Assert.Equal(("medium", true, true), (approved.GetProperty("risk").GetString(), approved.GetProperty("mayRun").GetBoolean(), approved.GetProperty("riskConfirmed").GetBoolean()));
        await alpha.WaitForAsync(job, j => j.State() != "pending");
        var audit = await (await admin.GetAsync("/api/v1/audit?kind=ai-approve")).JsonAsync();
        Assert.Contains(audit.GetProperty("items").EnumerateArray(), e => e.GetProperty("message").GetString() == "AI system alpha-bot approved by admin: risk class set to medium (declared minimal)");
    }

    [Fact]
    public async Task The_admins_class_stands_at_registration_except_that_high_risk_still_needs_approval()
    {
        var admin = _factory.Client(SeraiFactory.AdminToken);
        var minimal = await (await admin.PostAsync("/api/v1/ai-systems", Body(new { id = "beta-ocr", risk = "minimal", owner = "beta" }))).JsonAsync();
        Assert.True(minimal.GetProperty("mayRun").GetBoolean());
        var high = await (await admin.PostAsync("/api/v1/ai-systems", Body(new { id = "beta-scoring-2", risk = "high", owner = "beta" }))).JsonAsync();
        Assert.False(high.GetProperty("mayRun").GetBoolean());
        var listed = await (await _factory.Client(SeraiFactory.BetaToken).GetAsync("/api/v1/ai-systems")).JsonAsync();
        Assert.Contains(listed.EnumerateArray(), a => a.GetProperty("id").GetString() == "beta-ocr" && a.GetProperty("mayRun").GetBoolean());
    }

    [Fact]
    public async Task An_approval_with_a_class_that_does_not_exist_is_a_400_naming_the_field()
    {
        await _factory.Client(SeraiFactory.AlphaToken).PostAsync("/api/v1/ai-systems", Body(new { id = "alpha-x", risk = "minimal" }));
        var response = await _factory.Client(SeraiFactory.AdminToken).PostAsync("/api/v1/ai-systems/alpha-x/approve", Body(new { risk = "trivial" }));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("risk", (await response.JsonAsync()).GetProperty("errors").EnumerateObject().Select(p => p.Name));
    }
}

/// <summary>Issue 9, defect 3: a hub that requires an AI system on every job that reads personal data refuses one without.</summary>
public sealed class PersonalDataNeedsAiSystemTests : IAsyncLifetime
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

    /// <summary>The small test hub, requiring AI systems for personal data, with alpha's dataset holding personal data and another that does not.</summary>
    private static Core.Model.HubModel Hub()
    {
        var h = TestHubs.Small();
        Core.Model.Dataset[] datasets = [h.Datasets[0] with { PersonalData = true }, new Core.Model.Dataset(1, "alpha-weather", 0, 5, 0, 1)];
        return new Core.Model.HubModel(h.Name, h.Countries, h.Stacks, h.Accelerators, h.Sites, h.Pools, h.Links, h.Tenants, datasets, h.ConfiguredAiSystems.Systems)
        {
            RequireAiSystemForPersonalData = true,
        };
    }

    [Fact]
    public async Task A_job_reading_personal_data_without_an_ai_system_is_a_400_naming_the_field_and_with_one_it_is_accepted()
    {
        var alpha = _factory.Client(SeraiFactory.AlphaToken);
        var without = await alpha.SubmitAsync(new { command = (string[])["true"], gpus = 1, datasets = (string[])["alpha-data"] });
        Assert.Equal(HttpStatusCode.BadRequest, without.StatusCode);
        var problem = await without.JsonAsync();
        Assert.Contains("dataset alpha-data holds personal data", problem.GetProperty("errors").GetProperty("aiSystem")[0].GetString(), StringComparison.Ordinal);
        var with = await alpha.SubmitAsync(new { command = (string[])["true"], gpus = 1, datasets = (string[])["alpha-data"], aiSystem = "alpha-chat" });
        Assert.Equal(HttpStatusCode.Created, with.StatusCode);
        var other = await alpha.SubmitAsync(new { command = (string[])["true"], gpus = 1, datasets = (string[])["alpha-weather"] });
        Assert.Equal(HttpStatusCode.Created, other.StatusCode);
    }
}
