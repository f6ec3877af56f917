using System.Globalization;
using Serai.Execution.Slurm.Parsing;

namespace Serai.Execution.Slurm;

/// <summary>What a Slurm job state and reason mean for a Serai attempt.</summary>
public enum SlurmPhase
{
    /// <summary>Waiting in Slurm's queue, for a reason that can pass.</summary>
    Pending,

    Running,

    /// <summary>Suspended, completing, being requeued, resizing: still Slurm's, not ended.</summary>
    Transitional,

    /// <summary>Slurm will never start it (partition limit, invalid account, failed dependency) or requeued it by itself: Serai cancels it there and places it again.</summary>
    GiveBack,

    Ended,
}

/// <summary>The reading of one job record: phase, and for an ended job the end kind, exit code and a reason a person can read.</summary>
public sealed record SlurmReading(SlurmPhase Phase, JobEndKind? EndKind = null, int? ExitCode = null, string Reason = "");

/// <summary>Maps every Slurm job state and reason to Serai's lifecycle (the table in docs: SLURM.md "How endings show up").</summary>
public static class SlurmStates
{
    /// <summary>Pending reasons after which Slurm will never start the job by itself.</summary>
    private static readonly Dictionary<string, string> NeverStartReasons = new(StringComparer.OrdinalIgnoreCase)
    {
        ["PartitionNodeLimit"] = "it asks for more nodes than the partition allows",
        ["PartitionTimeLimit"] = "its time limit is over the partition's",
        ["InvalidAccount"] = "its account is not valid at this cluster",
        ["InvalidQOS"] = "its QOS is not valid at this cluster",
        ["DependencyNeverSatisfied"] = "a job it depends on failed",
        ["BadConstraints"] = "its constraints match no node",
        ["PartitionDown"] = "its partition is down",
        ["PartitionInactive"] = "its partition is inactive",
        ["QOSJobLimit"] = "its QOS allows no such job",
        ["AccountNotAllowed"] = "its account may not use the partition",
        ["QOSNotAllowed"] = "its QOS may not use the partition",
    };

    public static SlurmReading Read(SlurmJobRecord job)
    {
        var state = job.State.ToUpperInvariant();
        var plus = state.IndexOf('+', StringComparison.Ordinal); // e.g. CANCELLED+ in sacct
        if (plus > 0)
        {
            state = state[..plus];
        }
        var slurmSays = job.Reason is { Length: > 0 } r && r != "None" ? $" (Slurm: {state}, {r})" : $" (Slurm: {state})";
        return state switch
        {
            "PENDING" when NeverStartReasons.TryGetValue(job.Reason, out var why) =>
                new SlurmReading(SlurmPhase.GiveBack, JobEndKind.NodeFailure, null, $"Slurm at this site can never start it: {why} ({job.Reason})"),
            "PENDING" when job.RestartCount > 0 =>
                new SlurmReading(SlurmPhase.GiveBack, JobEndKind.NodeFailure, null, $"Slurm requeued it (restart {job.RestartCount}, after a node failure or preemption){slurmSays}"),
            "PENDING" => new SlurmReading(SlurmPhase.Pending, Reason: job.Reason),
            "RUNNING" => new SlurmReading(SlurmPhase.Running),
            "CONFIGURING" or "COMPLETING" or "SUSPENDED" or "STOPPED" or "RESIZING" or "SIGNALING" or "STAGE_OUT" or "RESV_DEL_HOLD" =>
                new SlurmReading(SlurmPhase.Transitional, Reason: state),
            "REQUEUED" or "REQUEUE_HOLD" or "REQUEUE_FED" =>
                new SlurmReading(SlurmPhase.GiveBack, JobEndKind.NodeFailure, null, $"Slurm requeued it{slurmSays}"),
            "COMPLETED" => Exited(job, slurmSays),
            "FAILED" or "SPECIAL_EXIT" => Failed(job, slurmSays),
            "TIMEOUT" => new SlurmReading(SlurmPhase.Ended, JobEndKind.TimedOut, null,
                $"ran past its time limit{(job.TimeLimit is { Length: > 0 } t && t != "UNLIMITED" ? " of " + t : "")} and Slurm stopped it{slurmSays}"),
            "DEADLINE" => new SlurmReading(SlurmPhase.Ended, JobEndKind.TimedOut, null, $"reached its deadline before it could finish{slurmSays}"),
            "NODE_FAIL" => new SlurmReading(SlurmPhase.Ended, JobEndKind.NodeFailure, null, $"a node of the job failed{NodesText(job)}{slurmSays}"),
            "BOOT_FAIL" => new SlurmReading(SlurmPhase.Ended, JobEndKind.NodeFailure, null, $"a node of the job failed to boot{NodesText(job)}{slurmSays}"),
            "PREEMPTED" => new SlurmReading(SlurmPhase.Ended, JobEndKind.NodeFailure, null, $"preempted by Slurm at the site{slurmSays}"),
            "REVOKED" => new SlurmReading(SlurmPhase.Ended, JobEndKind.NodeFailure, null, $"revoked by Slurm's federation (it runs on another cluster){slurmSays}"),
            "OUT_OF_MEMORY" => new SlurmReading(SlurmPhase.Ended, JobEndKind.Exited, job.ExitCode is > 0 ? job.ExitCode : 137,
                $"ran out of memory and was killed{slurmSays}"),
            "CANCELLED" => new SlurmReading(SlurmPhase.Ended, JobEndKind.CancelledAtSite, null,
                $"cancelled at the site, not by Serai{(job.Reason is "JobHeldUser" or "JobHeldAdmin" ? " while held" : "")}{slurmSays}"),
            _ => new SlurmReading(SlurmPhase.Transitional, Reason: $"unknown Slurm state {state}"),
        };
    }

    public static bool IsTerminal(SlurmReading reading) => reading.Phase == SlurmPhase.Ended;

    private static SlurmReading Exited(SlurmJobRecord job, string slurmSays) =>
        new(SlurmPhase.Ended, JobEndKind.Exited, job.ExitCode ?? 0, $"exited with code {job.ExitCode ?? 0}{slurmSays}");

    private static SlurmReading Failed(SlurmJobRecord job, string slurmSays)
    {
        if (job.Signal is > 0 and var signal)
        {
            return new(SlurmPhase.Ended, JobEndKind.Exited, 128 + signal, string.Create(CultureInfo.InvariantCulture, $"killed by signal {signal}{slurmSays}"));
        }
        return job.ExitCode is { } code
            ? new(SlurmPhase.Ended, JobEndKind.Exited, code, string.Create(CultureInfo.InvariantCulture, $"exited with code {code}{slurmSays}"))
            : new(SlurmPhase.Ended, JobEndKind.Exited, 1, $"failed without an exit code{slurmSays}");
    }

    private static string NodesText(SlurmJobRecord job) => job.NodeList is { Length: > 0 } n && n != "(null)" ? $" ({n})" : "";
}
