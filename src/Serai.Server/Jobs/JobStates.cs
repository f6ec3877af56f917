namespace Serai.Server.Jobs;

/// <summary>Job lifecycle: pending → admitted → running → succeeded | failed | cancelled; preempted jobs go back to pending.</summary>
public static class JobStates
{
    public const string Pending = "pending";
    public const string Admitted = "admitted";
    public const string Running = "running";
    public const string Succeeded = "succeeded";
    public const string Failed = "failed";
    public const string Cancelled = "cancelled";

    public static readonly string[] All = [Pending, Admitted, Running, Succeeded, Failed, Cancelled];

    public static bool IsTerminal(string state) => state is Succeeded or Failed or Cancelled;

    public static string Allowed => string.Join(", ", All);
}
