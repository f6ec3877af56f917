namespace Serai.Contracts;

/// <summary>
/// Job states as the API and the database spell them (the server maps the runtime's phases to them: JobPhaseStates): the phases (pending → admitted → starting → running
/// → succeeded | failed | timed-out; stopping → pending after a preemption, or → cancelled). A rejected job is failed.
/// </summary>
public static class JobStates
{
    public const string Pending = "pending";
    public const string Admitted = "admitted";
    public const string Starting = "starting";
    public const string Running = "running";
    public const string Stopping = "stopping";
    public const string Succeeded = "succeeded";
    public const string Failed = "failed";
    public const string Cancelled = "cancelled";
    public const string TimedOut = "timed-out";

    public static readonly string[] All = [Pending, Admitted, Starting, Running, Stopping, Succeeded, Failed, Cancelled, TimedOut];

    public static bool IsTerminal(string state) => state is Succeeded or Failed or Cancelled or TimedOut;

    public static string Allowed => string.Join(", ", All);
}
