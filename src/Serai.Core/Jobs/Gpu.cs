namespace Serai.Core.Jobs;

/// <summary>Units of a GPU.</summary>
public static class Gpu
{
    /// <summary>Thousandths in one GPU: jobs that share a GPU hold at most this much of it together.</summary>
    public const int Milli = 1000;
}
