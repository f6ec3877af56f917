namespace Serai.Server.Operations;

/// <summary>
/// One operator action, as stored and audited: who did it, why, on what, and (for an override) until when. The
/// current operator state is the replay of every action in order (<see cref="OperatorState"/>).
/// </summary>
/// <remarks>Target: `site:NAME`, `pool:SITE/POOL`, `node:SITE/POOL/INDEX` or `vendor:NAME`. Mode, for a drain or vendor
/// cut: `finish` (running jobs finish) or `requeue` (they are stopped and queued again).</remarks>
public sealed record OperatorAction(
    long Id,
    long AtUnix,
    string Actor,
    string Action,
    string Target,
    string? Mode,
    long? UntilUnix,
    OverrideValues? Values,
    string Reason)
{
    /// <summary>What a person reads in the audit trail.</summary>
    public string Describe()
    {
        var what = Action switch
        {
            OperatorActions.Override => $"override of {Target}: {Values?.Describe()}{(UntilUnix is { } u ? $" until {DateTimeOffset.FromUnixTimeSeconds(u):yyyy-MM-dd HH:mm} UTC" : "")}",
            OperatorActions.Curtail => $"curtailment of {Target} to {Values?.GridWatts / 1e6:0.###} MW of facility power"
                + $"{(Values?.FromUnix is { } f ? $" from {DateTimeOffset.FromUnixTimeSeconds(f):yyyy-MM-dd HH:mm}" : "")}{(UntilUnix is { } e ? $" until {DateTimeOffset.FromUnixTimeSeconds(e):yyyy-MM-dd HH:mm} UTC" : "")}",
            OperatorActions.ClearOverride => $"override of {Target} cleared",
            OperatorActions.Drain => $"{Target} drained ({(Mode == DrainModes.Requeue ? "running jobs requeued" : "running jobs finish")})",
            OperatorActions.Resume => $"{Target} resumed",
            OperatorActions.Down => $"{Target} marked down (its jobs requeued elsewhere)",
            OperatorActions.Up => $"{Target} marked up",
            OperatorActions.VendorCut => $"{Target} cut off ({(Mode == DrainModes.Requeue ? "running jobs requeued" : "running jobs finish")})",
            OperatorActions.VendorRestore => $"{Target} restored",
            _ => $"{Action} {Target}",
        };
        return $"{what}, by {Actor}: {Reason}";
    }
}

/// <summary>An override of a site's envelope: a temperature (absolute or an offset), an IT cap, a grid connection.</summary>
public sealed record OverrideValues(double? TemperatureC = null, double? TemperatureOffsetC = null, double? ItCapWatts = null, double? GridWatts = null)
{
    /// <summary>When the override starts (a curtailment planned ahead); null: at once.</summary>
    public long? FromUnix { get; init; }

    public string Describe()
    {
        var parts = new List<string>();
        if (TemperatureC is { } t)
        {
            parts.Add(FormattableString.Invariant($"outdoor {t:0.#} °C"));
        }
        if (TemperatureOffsetC is { } o)
        {
            parts.Add(FormattableString.Invariant($"temperature {o:+0.#;-0.#} °C"));
        }
        if (ItCapWatts is { } cap)
        {
            parts.Add(FormattableString.Invariant($"IT cap {cap / 1e6:0.###} MW"));
        }
        if (GridWatts is { } grid)
        {
            parts.Add(FormattableString.Invariant($"grid {grid / 1e6:0.###} MW"));
        }
        return string.Join(", ", parts);
    }
}

/// <summary>The actions an operator takes.</summary>
public static class OperatorActions
{
    public const string Override = "override";
    public const string ClearOverride = "clear-override";

    /// <summary>Grid demand response: the site's grid connection lowered to a facility power for a time (an override).</summary>
    public const string Curtail = "curtail";
    public const string Drain = "drain";
    public const string Resume = "resume";
    public const string Down = "down";
    public const string Up = "up";
    public const string VendorCut = "vendor-cut";
    public const string VendorRestore = "vendor-restore";
}

/// <summary>What happens to running jobs when their node, pool, site or vendor is drained.</summary>
public static class DrainModes
{
    public const string Finish = "finish";
    public const string Requeue = "requeue";
    public const string Allowed = "finish (running jobs run to their end) or requeue (they are stopped, checkpointable ones checkpoint, and queued again elsewhere)";
}
