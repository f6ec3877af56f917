using Serai.Simulation.Workloads;

namespace Serai.Simulation.Engine;

/// <summary>
/// Per-job runtime facts in flat arrays indexed by job (about 110 bytes a job): progress, speed, where it runs,
/// its start and end, the energy, carbon and cost it used, and how often it was stopped.
/// </summary>
public sealed class JobTable
{
    public JobTable(Workload workload)
    {
        var n = workload.Count;
        Status = new JobStatus[n];
        WorkDoneSeconds = new double[n];
        SegmentStartUnix = new long[n];
        Speed = new float[n];
        Token = new int[n];
        GpuWatts = new float[n];
        Pool = new short[n];
        FirstStartUnix = new long[n];
        LastStartUnix = new long[n];
        EndUnix = new long[n];
        Preemptions = new ushort[n];
        EnergyJoules = new double[n];
        CarbonGrams = new double[n];
        CostUsd = new double[n];
        CarbonMarkAtSegment = new double[n];
        PriceMarkAtSegment = new double[n];
        Array.Fill(Pool, (short)-1);
        Array.Fill(FirstStartUnix, -1);
        Array.Fill(LastStartUnix, -1);
        Array.Fill(EndUnix, -1);
    }

    public JobStatus[] Status { get; }

    /// <summary>Seconds of full-speed work done up to <see cref="SegmentStartUnix"/> (kept across checkpointed preemptions).</summary>
    public double[] WorkDoneSeconds { get; }
    public long[] SegmentStartUnix { get; }
    public float[] Speed { get; }
    public int[] Token { get; }
    public float[] GpuWatts { get; }
    public short[] Pool { get; }
    public long[] FirstStartUnix { get; }
    public long[] LastStartUnix { get; }
    public long[] EndUnix { get; }
    public ushort[] Preemptions { get; }
    public double[] EnergyJoules { get; }
    public double[] CarbonGrams { get; }
    public double[] CostUsd { get; }
    internal double[] CarbonMarkAtSegment { get; }
    internal double[] PriceMarkAtSegment { get; }

    public int Count => Status.Length;
}
