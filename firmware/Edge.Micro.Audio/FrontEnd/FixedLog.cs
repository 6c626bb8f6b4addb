namespace Edge.Micro.Audio.FrontEnd
{
    /// <summary>Integer natural logarithm of TFLM's signal library (log.cc): log2 by table interpolation, times ln 2.</summary>
    public static class FixedLog
    {
        private const int SegmentsLog2 = 7;
        private const int ScaleLog2 = 16;
        private const uint Scale = 65536;
        private const uint LnTwoQ16 = 45426;

        // log2(1 + x) - x on 128 segments, Q16. Built once on first use (nanoFramework copies array initializers
        // into the heap anyway; this one is 260 bytes).
        private static readonly ushort[] Lut =
        {
            0, 224, 442, 654, 861, 1063, 1259, 1450, 1636, 1817, 1992, 2163, 2329, 2490, 2646, 2797, 2944, 3087, 3224,
            3358, 3487, 3611, 3732, 3848, 3960, 4068, 4172, 4272, 4368, 4460, 4549, 4633, 4714, 4791, 4864, 4934, 5001,
            5063, 5123, 5178, 5231, 5280, 5326, 5368, 5408, 5444, 5477, 5507, 5533, 5557, 5578, 5595, 5610, 5622, 5631,
            5637, 5640, 5641, 5638, 5633, 5626, 5615, 5602, 5586, 5568, 5547, 5524, 5498, 5470, 5439, 5406, 5370, 5332,
            5291, 5249, 5203, 5156, 5106, 5054, 5000, 4944, 4885, 4825, 4762, 4697, 4630, 4561, 4490, 4416, 4341, 4264,
            4184, 4103, 4020, 3935, 3848, 3759, 3668, 3575, 3481, 3384, 3286, 3186, 3084, 2981, 2875, 2768, 2659, 2549,
            2437, 2323, 2207, 2090, 1971, 1851, 1729, 1605, 1480, 1353, 1224, 1094, 963, 830, 695, 559, 421, 282, 142, 0, 0,
        };

        /// <summary>ln(x) scaled by outScale (x &gt; 0).</summary>
        public static uint Log32(uint x, uint outScale)
        {
            int integer = SquareRoots.MostSignificantBit(x) - 1;
            uint fraction = Log2FractionPart(x, integer);
            uint log2 = ((uint)integer << ScaleLog2) + fraction;
            uint round = Scale / 2;
            uint loge = (uint)((LnTwoQ16 * (ulong)log2 + round) >> ScaleLog2);
            return (outScale * loge + round) >> ScaleLog2;
        }

        private static uint Log2FractionPart(uint x, int log2x)
        {
            int frac = (int)(x - (uint)(1L << log2x));
            if (log2x < ScaleLog2)
            {
                frac <<= ScaleLog2 - log2x;
            }
            else
            {
                frac >>= log2x - ScaleLog2;
            }

            uint baseSeg = (uint)frac >> (ScaleLog2 - SegmentsLog2);
            uint segUnit = (1u << ScaleLog2) >> SegmentsLog2;
            int c0 = Lut[baseSeg];
            int c1 = Lut[baseSeg + 1];
            int segBase = (int)(segUnit * baseSeg);
            int relPos = ((c1 - c0) * (frac - segBase)) >> ScaleLog2;
            return (uint)(frac + c0 + relPos);
        }
    }
}
