using System.Numerics;

namespace SpotifySync.Grains.Coordination;

/// <summary>
/// The sort keys present in one lane of <see cref="SyncQueue"/>, counted in blocks of 1,024 consecutive keys, so that
/// "how many entries are at or before this key" is a sum over blocks and one bit count rather than a walk of the lane:
/// about 100 blocks for 100,000 queued users. A lane's keys only grow at its back (and, rarely, shrink at the front of
/// the manual lane), so blocks stay dense; an emptied block is dropped.
/// </summary>
public sealed class LaneKeyCount
{
    private const int BlockShift = 10;
    private const long OffsetMask = (1 << BlockShift) - 1;
    private const int WordsPerBlock = (1 << BlockShift) / 64;

    private readonly Dictionary<long, Block> _blocks = [];

    public void Add(long key)
    {
        var index = key >> BlockShift;
        if (!_blocks.TryGetValue(index, out var block))
        {
            _blocks[index] = block = new Block();
        }
        var (word, bit) = Slot(key);
        if ((block.Present[word] & bit) == 0)
        {
            block.Present[word] |= bit;
            block.Count++;
        }
    }

    public void Remove(long key)
    {
        var index = key >> BlockShift;
        if (!_blocks.TryGetValue(index, out var block))
        {
            return;
        }
        var (word, bit) = Slot(key);
        if ((block.Present[word] & bit) != 0)
        {
            block.Present[word] &= ~bit;
            if (--block.Count == 0)
            {
                _blocks.Remove(index);
            }
        }
    }

    /// <summary>How many keys present are less than or equal to <paramref name="key"/>.</summary>
    public int CountAtOrBelow(long key)
    {
        var index = key >> BlockShift;
        var count = 0;
        foreach (var (blockIndex, block) in _blocks)
        {
            if (blockIndex < index)
            {
                count += block.Count;
            }
        }
        if (_blocks.TryGetValue(index, out var own))
        {
            var (word, bit) = Slot(key);
            for (var w = 0; w < word; w++)
            {
                count += BitOperations.PopCount(own.Present[w]);
            }
            // This word's bits up to and including the key's own.
            count += BitOperations.PopCount(own.Present[word] & (bit | (bit - 1)));
        }
        return count;
    }

    /// <summary>The key's word within its block and its bit in that word (the arithmetic shift keeps negative keys in order).</summary>
    private static (int Word, ulong Bit) Slot(long key)
    {
        var offset = (int)(key & OffsetMask);
        return (offset >> 6, 1UL << (offset & 63));
    }

    private sealed class Block
    {
        public readonly ulong[] Present = new ulong[WordsPerBlock];
        public int Count;
    }
}
