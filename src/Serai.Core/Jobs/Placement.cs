namespace Serai.Core.Jobs;

/// <summary>
/// Where a gang runs: one pool, a list of nodes (indexes within the pool) and, per node, a bit mask of the GPU
/// indexes taken on it (bit i = GPU i, which becomes CUDA_VISIBLE_DEVICES on that node).
/// </summary>
public sealed record Placement(int Pool, int[] Nodes, ulong[] GpuMasks)
{
    public int Gpus
    {
        get
        {
            var total = 0;
            foreach (var mask in GpuMasks)
            {
                total += System.Numerics.BitOperations.PopCount(mask);
            }
            return total;
        }
    }

    /// <summary>GPU indexes on the i-th node of the placement, ascending.</summary>
    public IEnumerable<int> GpuIndexes(int i)
    {
        var mask = GpuMasks[i];
        for (var bit = 0; bit < 64; bit++)
        {
            if ((mask & (1UL << bit)) != 0)
            {
                yield return bit;
            }
        }
    }
}
