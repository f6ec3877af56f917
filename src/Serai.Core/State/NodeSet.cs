using System.Numerics;

namespace Serai.Core.State;

/// <summary>
/// A set of a pool's nodes as bits, with a summary bit per word of 64 nodes: adding and removing cost O(1), and the
/// highest node below a bound is found in a few word scans. Its order is the nodes' own, so what it answers depends
/// only on which nodes it holds, never on the order they came and went in (a rolled-back tentative cycle leaves the
/// same answers behind it).
/// </summary>
internal sealed class NodeSet(int capacity)
{
    private readonly ulong[] _words = new ulong[(capacity + 63) >> 6];
    private readonly ulong[] _summary = new ulong[(((capacity + 63) >> 6) + 63) >> 6];

    public int Count { get; private set; }

    public void Add(int node)
    {
        var w = node >> 6;
        if (_words[w] == 0)
        {
            _summary[w >> 6] |= 1UL << (w & 63);
        }
        _words[w] |= 1UL << (node & 63);
        Count++;
    }

    public void Remove(int node)
    {
        var w = node >> 6;
        _words[w] &= ~(1UL << (node & 63));
        if (_words[w] == 0)
        {
            _summary[w >> 6] &= ~(1UL << (w & 63));
        }
        Count--;
    }

    /// <summary>The highest node in the set below <paramref name="limit"/>, or -1.</summary>
    public int HighestBelow(int limit)
    {
        var n = limit - 1;
        if (n < 0)
        {
            return -1;
        }
        var w = n >> 6;
        var word = _words[w] & (ulong.MaxValue >> (63 - (n & 63)));
        if (word != 0)
        {
            return (w << 6) + 63 - BitOperations.LeadingZeroCount(word);
        }
        for (var m = w - 1; m >= 0;)
        {
            var s = m >> 6;
            var summary = _summary[s] & (ulong.MaxValue >> (63 - (m & 63)));
            if (summary != 0)
            {
                var found = (s << 6) + 63 - BitOperations.LeadingZeroCount(summary);
                return (found << 6) + 63 - BitOperations.LeadingZeroCount(_words[found]);
            }
            m = (s << 6) - 1;
        }
        return -1;
    }

    /// <summary>The nodes in ascending order.</summary>
    public int[] ToArray()
    {
        var nodes = new int[Count];
        var i = 0;
        for (var w = 0; w < _words.Length; w++)
        {
            for (var word = _words[w]; word != 0; word &= word - 1)
            {
                nodes[i++] = (w << 6) + BitOperations.TrailingZeroCount(word);
            }
        }
        return nodes;
    }
}
