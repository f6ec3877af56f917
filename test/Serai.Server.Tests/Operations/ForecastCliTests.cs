namespace Serai.Server.Tests.Operations;

/// <summary>`serai submit --test-only`, `serai job ID --forecast` and `serai whatif` against a real `serai serve`.</summary>
public sealed class ForecastCliTests
{
    [Fact]
    public async Task Tenants_test_jobs_and_forecast_them_and_operators_ask_what_if_with_the_cli()
    {
        var directory = TestDatabases.NewDirectory();
        using var serve = await ServeProcess.StartAsync(directory, ServeProcess.FreePort());
        try
        {
            var tested = await serve.CliAsync("submit", "--test-only", "--gpus", "1", "--time", "10", "--", "true");
            Assert.True(tested.Code == 0, tested.Stderr);
            Assert.StartsWith("the job would start at ", tested.Stdout.Trim(), StringComparison.Ordinal);
            Assert.Contains("(now) on local/", tested.Stdout, StringComparison.Ordinal);
            Assert.Contains("note: nothing was submitted (test only)", tested.Stderr, StringComparison.Ordinal);
            Assert.DoesNotContain("true", (await serve.CliAsync("jobs")).Stdout, StringComparison.Ordinal);

            var held = await serve.CliAsync("submit", "--hold", "--gpus", "1", "--", "true");
            Assert.True(held.Code == 0, held.Stderr);
            var id = held.Stdout.Trim().Split(' ')[^1];
            var forecast = await serve.CliAsync("job", id, "--forecast");
            Assert.True(forecast.Code == 0, forecast.Stderr);
            Assert.StartsWith($"job {id}: kept out of scheduling: ", forecast.Stdout.Trim(), StringComparison.Ordinal);
            Assert.Contains("no start can be forecast until that changes", forecast.Stdout, StringComparison.Ordinal);

            var whatif = await serve.CliAsync("whatif", "--site", "local", "--down", "--for", "1h", "--horizon", "2h");
            Assert.True(whatif.Code == 0, whatif.Stderr);
            Assert.Contains("scenario: site local down from now until ", whatif.Stdout, StringComparison.Ordinal);
            Assert.Contains("over the next 2h 00m: ", whatif.Stdout, StringComparison.Ordinal);
            Assert.Contains("nothing was changed", whatif.Stdout, StringComparison.Ordinal);

            var badSite = await serve.CliAsync("whatif", "--site", "nowhere", "--temperature", "46");
            Assert.Equal(1, badSite.Code);
            Assert.Contains("changes[0].site: 'nowhere' is not a site of this hub; allowed: local", badSite.Stderr, StringComparison.Ordinal);
            var none = await serve.CliAsync("whatif", "--horizon", "6h");
            Assert.Equal(2, none.Code);
            Assert.Contains("error: give a scenario", none.Stderr, StringComparison.Ordinal);
            var badHorizon = await serve.CliAsync("whatif", "--vendor-cut", "nvidia", "--horizon", "2x");
            Assert.Equal(2, badHorizon.Code);
            Assert.Contains("--horizon '2x' is not a duration", badHorizon.Stderr, StringComparison.Ordinal);
        }
        finally
        {
            TestDatabases.Remove(directory);
        }
    }
}
