namespace Serai.Runtime.Lifecycle;

/// <summary>The allowed moves of the job state machine; the runtime never makes another.</summary>
public static class JobLifecycle
{
    private static readonly bool[,] Allowed = Build();

    public static bool CanMove(JobPhase from, JobPhase to) => Allowed[(int)from, (int)to];

    /// <summary>Throws when a move is not in the machine: a bug in the runtime, never a user error.</summary>
    public static void Check(JobPhase from, JobPhase to, long jobId)
    {
        if (!CanMove(from, to))
        {
            throw new InvalidOperationException($"job {jobId}: no move from {from.Word()} to {to.Word()}");
        }
    }

    private static bool[,] Build()
    {
        var n = Enum.GetValues<JobPhase>().Length;
        var a = new bool[n, n];
        void Allow(JobPhase from, params JobPhase[] to)
        {
            foreach (var t in to)
            {
                a[(int)from, (int)t] = true;
            }
        }
        Allow(JobPhase.None, JobPhase.Pending);
        // pending → pending: a deferral to a later hour
        Allow(JobPhase.Pending, JobPhase.Pending, JobPhase.Admitted, JobPhase.Rejected, JobPhase.Cancelled, JobPhase.Failed);
        // pending → succeeded / timed out: a job queued ahead at its site that ran and ended there between two polls
        Allow(JobPhase.Pending, JobPhase.Succeeded, JobPhase.TimedOut);
        // admitted → pending: the server stopped before the job was sent to its backend
        Allow(JobPhase.Admitted, JobPhase.Starting, JobPhase.Pending, JobPhase.Stopping, JobPhase.Cancelled, JobPhase.Failed);
        Allow(JobPhase.Starting, JobPhase.Running, JobPhase.Stopping, JobPhase.Pending, JobPhase.Succeeded, JobPhase.Failed, JobPhase.TimedOut, JobPhase.Cancelled);
        // running → running: a throttle; running → pending: its node or site was lost and it is requeued
        Allow(JobPhase.Running, JobPhase.Running, JobPhase.Stopping, JobPhase.Pending, JobPhase.Succeeded, JobPhase.Failed, JobPhase.TimedOut, JobPhase.Cancelled);
        Allow(JobPhase.Stopping, JobPhase.Pending, JobPhase.Cancelled, JobPhase.Succeeded, JobPhase.Failed, JobPhase.TimedOut);
        return a;
    }
}
