namespace Serai.Scheduling.Profiles;

/// <summary>What a profile's numbers may be, with the words error messages use; the hub config and the CLI check the same.</summary>
public static class ProfileLimits
{
    public const double MaxWeight = 1000;
    public const double MinThrottleFloor = 0.1;
    public const int MaxReservationDepth = 64;
    public const int MaxHorizonHours = 168;
    public const double MaxMinSavingKg = 1_000_000;
    public const double MaxMinJobHours = 168;
    public const double MaxDelayShare = 100;

    public const string WeightAllowed = "a number from 0 to 1000 (0 leaves the score out)";
    public const string MinGainAllowed = "a number from 0 to 1 (share by which a later hour must be cleaner)";
    public const string HorizonAllowed = "an integer from 1 to 168 (hours ahead)";
    public const string ReservationsAllowed = "an integer from 0 to 64 (0: no backfill)";
    public const string MaxDelayShareAllowed = "a number from 0 to 100 (share of the job's estimated run time it may wait)";
    public const string ThrottleFloorAllowed = "a number from 0.1 to 1 (fraction of TDP)";

    public static bool IsWeight(double value) => double.IsFinite(value) && value is >= 0 and <= MaxWeight;

    public static bool IsMinGain(double value) => double.IsFinite(value) && value is >= 0 and <= 1;

    public static bool IsHorizon(int hours) => hours is >= 1 and <= MaxHorizonHours;

    public static bool IsMaxDelayShare(double value) => double.IsFinite(value) && value is >= 0 and <= MaxDelayShare;

    public static bool IsReservationDepth(int depth) => depth is >= 0 and <= MaxReservationDepth;

    public static bool IsThrottleFloor(double value) => double.IsFinite(value) && value is >= MinThrottleFloor and <= 1;
}

/// <summary>One thing wrong with a profile: the field, the value found and what is allowed (a value, never an exception).</summary>
public sealed record ProfileProblem(string Field, string Value, string Allowed)
{
    public override string ToString() => $"{Field}: '{Value}' — allowed: {Allowed}";
}
