namespace Serai.Server.Dashboard;

/// <summary>Settings of the dashboard, from the "Serai:Dashboard" configuration section.</summary>
public sealed class DashboardOptions
{
    public const string Section = "Serai:Dashboard";

    /// <summary>How often each site is sampled into the history the charts read.</summary>
    public double SampleSeconds { get; set; } = 30;

    /// <summary>Samples older than this are deleted.</summary>
    public double RetentionDays { get; set; } = 14;

    /// <summary>How long a signed-in browser session lasts without use.</summary>
    public double SessionHours { get; set; } = 12;
}
