namespace Serai.Contracts;

/// <summary>The environment variables a job may be given: names of letters, digits and _, not Serai's own.</summary>
public static class EnvironmentNames
{
    /// <summary>Serai sets these for each job (SERAI_JOB_ID, ...); none may be given, and SERAI_TOKEN never travels.</summary>
    public const string SeraiPrefix = "SERAI_";

    public static bool ValidName(string name) =>
        name.Length is > 0 and <= 256 && !char.IsAsciiDigit(name[0]) && name.All(c => char.IsAsciiLetterOrDigit(c) || c == '_');
}
