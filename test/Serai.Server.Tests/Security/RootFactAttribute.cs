namespace Serai.Server.Tests.Security;

/// <summary>
/// A test that needs root (to run jobs as other accounts). Skipped for a developer who is not root; never in CI
/// (CI=true), where the tests run as root and a skip would hide a test that did not run.
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class RootFactAttribute : FactAttribute
{
    public RootFactAttribute()
    {
        var ci = string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);
        if (!Environment.IsPrivilegedProcess && !ci)
        {
            Skip = "needs root: jobs run as their tenants' accounts only when the server is root";
        }
    }
}
