using System.Numerics;
using Edge.Micro.Audio.FrontEnd;

namespace Edge.Micro.Audio.Tests;

public class SquareRootsTests
{
    public static TheoryData<ulong> Values() => new(0UL, 1UL, 2UL, 0xFFFFUL, 0xFFFF_FFFFUL, 0x1_0000_0000UL, 0x1_2345_6789UL, ulong.MaxValue);

    [Theory]
    [MemberData(nameof(Values))]
    public void Most_significant_bit_of_64_bits_counts_the_significant_bits(ulong x)
    {
        int expected = x == 0 ? 0 : BitOperations.Log2(x) + 1;
        Assert.Equal(expected, SquareRoots.MostSignificantBit(x));
    }

    [Theory]
    [MemberData(nameof(Values))]
    public void Sqrt64_is_the_rounded_square_root(ulong x)
    {
        // Integer floor root, then round to nearest; the result saturates at 16 bits (32-bit inputs) or 32 bits.
        UInt128 root = (UInt128)Math.Sqrt(x);
        while (root * root > x) root--;
        while ((root + 1) * (root + 1) <= x) root++;
        UInt128 rounded = x - root * root > root ? root + 1 : root;
        ulong limit = x >> 32 == 0 ? 0xFFFFUL : 0xFFFF_FFFFUL;
        ulong expected = (ulong)UInt128.Min(rounded, limit);

        Assert.Equal(expected, SquareRoots.Sqrt64(x));
    }
}
